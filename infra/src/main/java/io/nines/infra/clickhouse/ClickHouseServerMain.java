package io.nines.infra.clickhouse;

import io.nines.core.config.CommandLine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Runs the embedded ClickHouse server. Options ({@code --key=value}, then environment, then default):
 * {@code --host} (NINES_CLICKHOUSE_HOST, 127.0.0.1), {@code --port} (NINES_CLICKHOUSE_PORT, 8123), {@code --path}
 * (NINES_CLICKHOUSE_PATH, required), {@code --chdb-lib} (NINES_CHDB_LIB, required), {@code --password}
 * (NINES_CLICKHOUSE_PASSWORD, none), {@code --max-body-bytes} (NINES_CLICKHOUSE_MAX_BODY_BYTES, 67108864 = 64 MiB,
 * counted after decompression). Exits with status 2 and a one-line reason when it cannot start.
 */
public final class ClickHouseServerMain {

  private static final Set<String> OPTIONS = Set.of("host", "port", "path", "chdb-lib", "password", "max-body-bytes");

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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      // The launcher and the tests read this line as proof that chDB flushed and closed before the exit.
      System.out.println("ClickHouse stopped: chDB closed");
    }, "clickhouse-shutdown"));
    System.out.println("ClickHouse HTTP interface ready on http://" + config.host() + ":" + server.port());
  }

  static ClickHouseServerConfig config(String[] args, Map<String, String> env) {
    CommandLine cli = CommandLine.parse(args, env, "CLICKHOUSE", OPTIONS);
    Path path = cli.value("path").map(Path::of).orElseThrow(
        () -> new IllegalArgumentException("--path (or NINES_CLICKHOUSE_PATH) is required"));
    Path library = cli.value("chdb-lib").map(Path::of).orElseThrow(
        () -> new IllegalArgumentException("--chdb-lib (or NINES_CHDB_LIB) is required"));
    return new ClickHouseServerConfig(cli.string("host", "127.0.0.1"), cli.integer("port", 8123), path, library,
        cli.value("password"), maxBodyBytes(cli));
  }

  private static long maxBodyBytes(CommandLine cli) {
    String value = cli.string("max-body-bytes", Long.toString(ClickHouseServerConfig.DEFAULT_MAX_BODY_BYTES));
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--max-body-bytes must be a whole number of bytes, was '" + value + "'");
    }
  }

  private static void fail(String reason) {
    System.err.println("clickhouse: " + reason.replace('\n', ' '));
    System.exit(2);
  }
}
