package io.nines.infra.clickhouse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the embedded ClickHouse server. Options ({@code --key=value}, then environment, then default):
 * {@code --host} (NINES_CLICKHOUSE_HOST, 127.0.0.1), {@code --port} (NINES_CLICKHOUSE_PORT, 8123), {@code --path}
 * (NINES_CLICKHOUSE_PATH, required), {@code --chdb-lib} (NINES_CHDB_LIB, required), {@code --password}
 * (NINES_CLICKHOUSE_PASSWORD, none). Exits with status 2 and a one-line reason when it cannot start.
 */
public final class ClickHouseServerMain {

  private static final Set<String> OPTIONS = Set.of("host", "port", "path", "chdb-lib", "password");

  private ClickHouseServerMain() {}

  public static void main(String[] args) {
    ClickHouseServerConfig config;
    try {
      config = config(args, System.getenv());
    } catch (IllegalArgumentException e) {
      fail("invalid configuration: " + e.getMessage());
      return;
    }
    ClickHouseServer server = new ClickHouseServer(config);
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      fail("cannot start: " + e.getMessage());
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "clickhouse-shutdown"));
    System.out.println("ClickHouse HTTP interface ready on http://" + config.host() + ":" + server.port());
  }

  static ClickHouseServerConfig config(String[] args, Map<String, String> env) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int equals = arg.indexOf('=');
      if (!arg.startsWith("--") || equals < 0 || !OPTIONS.contains(arg.substring(2, equals))) {
        throw new IllegalArgumentException("unknown option '" + arg + "' (expected --" + String.join("=, --", OPTIONS)
            + "=)");
      }
      options.put(arg.substring(2, equals), arg.substring(equals + 1));
    }
    String host = option(options, env, "host", "NINES_CLICKHOUSE_HOST").orElse("127.0.0.1");
    String port = option(options, env, "port", "NINES_CLICKHOUSE_PORT").orElse("8123");
    Path path = option(options, env, "path", "NINES_CLICKHOUSE_PATH").map(Path::of).orElseThrow(
        () -> new IllegalArgumentException("--path (or NINES_CLICKHOUSE_PATH) is required"));
    Path library = option(options, env, "chdb-lib", "NINES_CHDB_LIB").map(Path::of).orElseThrow(
        () -> new IllegalArgumentException("--chdb-lib (or NINES_CHDB_LIB) is required"));
    int portNumber;
    try {
      portNumber = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port must be a number, got '" + port + "'", e);
    }
    return new ClickHouseServerConfig(host, portNumber, path, library,
        option(options, env, "password", "NINES_CLICKHOUSE_PASSWORD"));
  }

  private static Optional<String> option(Map<String, String> options, Map<String, String> env, String name,
      String variable) {
    return Optional.ofNullable(options.get(name)).or(() -> Optional.ofNullable(env.get(variable)))
        .filter(value -> !value.isBlank());
  }

  private static void fail(String reason) {
    System.err.println("clickhouse: " + reason.replace('\n', ' '));
    System.exit(2);
  }
}
