package io.nines.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and restarting the server as its own process. */
class ClickHouseServerLifecycleTest {

  private static final Pattern READY = Pattern.compile("ClickHouse HTTP interface ready on http://127\\.0\\.0\\.1:(\\d+)");

  /** Where each child process writes, so that a full pipe never stalls it. */
  private static final Map<Process, Path> LOGS = new ConcurrentHashMap<>();

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * A restart is a new process, as in production: chDB holds process-wide state, so opening it a second time in one
   * JVM is not something the server ever does (and it can crash the JVM).
   */
  @Test
  void keepsDataAcrossARestartAndChecksThePassword() throws Exception {
    String[] args = {"--port=0", "--path=" + data, "--chdb-lib=" + LocalClickHouse.chdbLibrary(), "--password=s3cret"};
    Process first = main(args);
    try {
      int port = readyPort(first);
      try (Connection connection = jdbc(port, "s3cret"); Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE kept (id UInt32) ENGINE = MergeTree ORDER BY id");
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO kept VALUES (?)")) {
          for (int i = 1; i <= 100; i++) {
            insert.setInt(1, i);
            insert.addBatch();
          }
          insert.executeBatch();
        }
      }
      assertThatThrownBy(() -> jdbc(port, "wrong").createStatement().executeQuery("SELECT 1"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Code: 516. DB::Exception: default: Authentication failed");
    } finally {
      first.destroy();
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(output(first)).endsWith("ClickHouse stopped: chDB closed\n");
    Process second = main(args);
    try {
      int port = readyPort(second);
      try (Connection connection = jdbc(port, "s3cret");
          ResultSet rows = connection.createStatement().executeQuery("SELECT count(), sum(id) FROM kept")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(100);
        assertThat(rows.getLong(2)).isEqualTo(5050);
      }
      assertThat(get(port, "/?query=SELECT%20count()%20FROM%20kept", "X-ClickHouse-User", "default",
          "X-ClickHouse-Key", "s3cret").body()).isEqualTo("100\n");
      String basic = Base64.getEncoder().encodeToString("default:s3cret".getBytes(StandardCharsets.UTF_8));
      assertThat(get(port, "/?query=SELECT%201", "Authorization", "Basic " + basic).body()).isEqualTo("1\n");
      assertThat(get(port, "/?query=SELECT%201&user=default&password=s3cret").body()).isEqualTo("1\n");
      HttpResponse<String> named = get(port, "/?query=SELECT%201&query_id=restart-check-1&password=s3cret");
      assertThat(named.headers().firstValue("X-ClickHouse-Query-Id")).hasValue("restart-check-1");
      assertThat(get(port, "/?query=SELECT%201&password=s3cret").headers().firstValue("X-ClickHouse-Query-Id"))
          .hasValueSatisfying(generated -> assertThat(generated).isNotBlank().isNotEqualTo("restart-check-1"));
      HttpResponse<String> anonymous = get(port, "/?query=SELECT%201");
      assertThat(anonymous.statusCode()).isEqualTo(403);
      assertThat(anonymous.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
      assertThat(get(port, "/ping").body()).isEqualTo("Ok.\n");
    } finally {
      second.destroy();
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(stderrLines(first)).isEmpty();
    assertThat(stderrLines(second)).isEmpty();
  }

  @Test
  void runsAsItsOwnProcessAndRefusesADataDirectoryInUse() throws Exception {
    Process child = main("--port=0", "--path=" + data, "--chdb-lib=" + LocalClickHouse.chdbLibrary());
    try {
      int port = readyPort(child);
      HttpResponse<String> ping = http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ping.body()).isEqualTo("Ok.\n");

      Process second = main("--port=0", "--path=" + data, "--chdb-lib=" + LocalClickHouse.chdbLibrary());
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(second.exitValue()).isEqualTo(2);
      assertThat(stderrLines(second)).singleElement().asString().contains("data directory", "is locked");
    } finally {
      child.destroy();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(stderrLines(child)).isEmpty();
    assertThat(READY.matcher(output(child)).results().count()).isEqualTo(1);
  }

  @Test
  void exitsWithStatusTwoWhenItCannotStart() throws Exception {
    Process missingLibrary = main("--path=" + data, "--chdb-lib=" + data.resolve("no-such-libchdb.so"));
    assertThat(missingLibrary.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(missingLibrary.exitValue()).isEqualTo(2);
    assertThat(stderrLines(missingLibrary)).singleElement().asString().contains("libchdb.so not found");

    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Process portInUse = main("--port=" + taken.getLocalPort(), "--path=" + data.resolve("other"),
          "--chdb-lib=" + LocalClickHouse.chdbLibrary());
      assertThat(portInUse.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(portInUse.exitValue()).isEqualTo(2);
      assertThat(stderrLines(portInUse)).singleElement().asString().contains("cannot listen on 127.0.0.1:");
    }

    Process noPath = main("--chdb-lib=" + LocalClickHouse.chdbLibrary());
    assertThat(noPath.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(noPath.exitValue()).isEqualTo(2);
    assertThat(stderrLines(noPath)).singleElement().asString().contains("--path (or NINES_CLICKHOUSE_PATH) is required");
  }

  private static int readyPort(Process process) {
    Matcher ready = await().atMost(Duration.ofSeconds(60)).until(() -> READY.matcher(output(process)), Matcher::find);
    return Integer.parseInt(ready.group(1));
  }

  private static Connection jdbc(int port, String password) throws SQLException {
    return DriverManager.getConnection("jdbc:clickhouse://127.0.0.1:" + port + "/default", "default", password);
  }

  private HttpResponse<String> get(int port, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Process main(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ClickHouseServerMain.class.getName()));
    command.addAll(List.of(args));
    Path logs = Files.createTempDirectory("clickhouse-main");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectOutput(logs.resolve("stdout").toFile())
        .redirectError(logs.resolve("stderr").toFile());
    builder.environment().remove("NINES_CLICKHOUSE_PATH");
    builder.environment().remove("NINES_CLICKHOUSE_PORT");
    Process process = builder.start();
    LOGS.put(process, logs);
    return process;
  }

  private static String output(Process process) throws IOException {
    return Files.readString(LOGS.get(process).resolve("stdout"));
  }

  private static List<String> stderrLines(Process process) throws IOException {
    return Files.readString(LOGS.get(process).resolve("stderr")).lines()
        .filter(line -> line.startsWith("clickhouse:") || line.contains("SIGSEGV") || line.contains("fatal error"))
        .toList();
  }
}
