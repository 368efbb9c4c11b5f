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
 * @param maxBodyBytes the largest request body accepted, counted after decompression (413 beyond it); the
 *     server holds at most twice this in request bodies at once (see {@link RequestBodies})
 */
public record ClickHouseServerConfig(
    String host, int port, Path dataPath, Path chdbLibrary, Optional<String> password, long maxBodyBytes) {

  /**
   * 64 MiB: a 100,000-row JDBC batch of a few columns is about 3 MB as VALUES text, a 5,000-row batch of
   * the streaming job's minutes with their bucket maps a few MB (about 1 KB a row with 100 buckets); and
   * twice the limit plus the copies chDB needs of the one query it runs fit the {@code -Xmx512m} the launcher
   * gives the server.
   */
  public static final long DEFAULT_MAX_BODY_BYTES = 64L << 20;
  /** Keeps twice the limit within the server-wide budget's int range. */
  static final long LARGEST_MAX_BODY_BYTES = 512L << 20;

  /** A server that accepts bodies of up to {@link #DEFAULT_MAX_BODY_BYTES}. */
  public ClickHouseServerConfig(String host, int port, Path dataPath, Path chdbLibrary, Optional<String> password) {
    this(host, port, dataPath, chdbLibrary, password, DEFAULT_MAX_BODY_BYTES);
  }

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
    if (maxBodyBytes < 1 || maxBodyBytes > LARGEST_MAX_BODY_BYTES) {
      throw new IllegalArgumentException(
          "max-body-bytes must be within 1.." + LARGEST_MAX_BODY_BYTES + ", got " + maxBodyBytes);
    }
  }

  /** A server on 127.0.0.1 with no password. */
  public static ClickHouseServerConfig local(int port, Path dataPath, Path chdbLibrary) {
    return new ClickHouseServerConfig("127.0.0.1", port, dataPath, chdbLibrary, Optional.empty());
  }
}
