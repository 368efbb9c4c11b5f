package io.nines.infra.clickhouse;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How the embedded ClickHouse server runs.
 *
 * @param host the interface to listen on
 * @param port the HTTP port; 0 picks a free one (see {@link ClickHouseServer#port()})
 * @param dataPath the directory chDB keeps its databases in; survives restarts
 * @param chdbLibrary the libchdb.so to load
 * @param password the password of the single user {@code default}; empty for none
 */
public record ClickHouseServerConfig(
    String host, int port, Path dataPath, Path chdbLibrary, Optional<String> password) {

  public ClickHouseServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataPath, "dataPath");
    Objects.requireNonNull(chdbLibrary, "chdbLibrary");
    Objects.requireNonNull(password, "password");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank, got '" + host + "'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be within 0..65535, got " + port);
    }
  }

  /** A server on 127.0.0.1 with no password. */
  public static ClickHouseServerConfig local(int port, Path dataPath, Path chdbLibrary) {
    return new ClickHouseServerConfig("127.0.0.1", port, dataPath, chdbLibrary, Optional.empty());
  }
}
