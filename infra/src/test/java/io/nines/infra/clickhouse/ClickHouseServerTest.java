package io.nines.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.nines.infra.clickhouse.LocalClickHouse.encode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conformance of the embedded server with what clickhouse-jdbc and plain HTTP clients expect of ClickHouse. */
class ClickHouseServerTest {

  static final List<String> HOSTILE = List.of(
      "'; DROP TABLE hostile; --", "back\\slash", "quote ' and \" both", "new\nline\ttab", "\\'; SELECT 1; --",
      "{x:String}", "?", "ünïcödé ✓", "");

  @TempDir static Path data;
  static LocalClickHouse clickHouse;

  @BeforeAll
  static void start() throws Exception {
    clickHouse = LocalClickHouse.start(data);
  }

  @AfterAll
  static void stop() {
    clickHouse.close();
  }

  private static Connection jdbc() throws SQLException {
    return clickHouse.jdbc();
  }

  private static HttpResponse<String> post(String urlArguments, String body, String... headers) throws Exception {
    return clickHouse.post(urlArguments, body, headers);
  }

  private static String query(String sql) throws Exception {
    return clickHouse.query(sql);
  }

  @Test
  void answersPingWithOk() throws Exception {
    for (String path : List.of("/ping", "/")) {
      HttpResponse<String> response = clickHouse.get(path);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Ok.\n");
    }
  }

  @Test
  void roundTripsClickHouseTypesThroughJdbc() throws Exception {
    try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE types (id UInt32, ts DateTime64(3, 'UTC'), tags Map(String, UInt64),"
          + " codes Map(Int32, UInt64), samples Array(Float64), note Nullable(String), kind LowCardinality(String),"
          + " big UInt64, amount Decimal(18, 4), uid UUID) ENGINE = MergeTree ORDER BY id");
      UUID uid = UUID.fromString("6f1c2a5e-2b8d-4c1e-9a7f-0d3b5e8c1a24");
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO types VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setInt(1, 1);
        insert.setObject(2, OffsetDateTime.parse("2026-11-29T14:05:14.123Z"));
        insert.setObject(3, Map.of("checkout", 7L));
        insert.setObject(4, Map.of(-3, 9_000_000_000L));
        insert.setObject(5, new double[] {0.5, -1.25, 1e-9});
        insert.setNull(6, java.sql.Types.VARCHAR);
        insert.setString(7, "latency");
        insert.setObject(8, new BigInteger("18446744073709551615"));
        insert.setBigDecimal(9, new BigDecimal("12345678901234.5678"));
        insert.setObject(10, uid);
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }
      try (ResultSet rows = statement.executeQuery("SELECT * FROM types")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getObject("ts", OffsetDateTime.class).toInstant())
            .isEqualTo(Instant.parse("2026-11-29T14:05:14.123Z"));
        assertThat(rows.getObject("tags")).isEqualTo(Map.of("checkout", BigInteger.valueOf(7)));
        assertThat(rows.getObject("codes")).isEqualTo(Map.of(-3, BigInteger.valueOf(9_000_000_000L)));
        assertThat((Double[]) rows.getArray("samples").getArray()).containsExactly(0.5, -1.25, 1e-9);
        assertThat(rows.getString("note")).isNull();
        assertThat(rows.wasNull()).isTrue();
        assertThat(rows.getString("kind")).isEqualTo("latency");
        assertThat(rows.getObject("big", BigInteger.class)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(rows.getBigDecimal("amount")).isEqualByComparingTo("12345678901234.5678");
        assertThat(rows.getObject("uid", UUID.class)).isEqualTo(uid);
        assertThat(rows.next()).isFalse();
      }
    }
  }

  @Test
  void insertsHundredThousandRowsInOneJdbcBatch() throws Exception {
    try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE batch (id UInt64, name String, v Float64) ENGINE = MergeTree ORDER BY id");
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batch VALUES (?, ?, ?)")) {
        for (int i = 0; i < 100_000; i++) {
          insert.setLong(1, i);
          insert.setString(2, "row-" + i);
          insert.setDouble(3, i * 0.5);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      try (ResultSet rows = statement.executeQuery(
          "SELECT count(), sum(id), sum(v), uniqExact(name) FROM batch")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(100_000L);
        assertThat(rows.getLong(2)).isEqualTo(4_999_950_000L);
        assertThat(rows.getDouble(3)).isEqualTo(2_499_975_000.0);
        assertThat(rows.getLong(4)).isEqualTo(100_000L);
      }
    }
  }

  @Test
  void bindsPreparedAndNamedParameters() throws Exception {
    try (Connection connection = jdbc();
        PreparedStatement select = connection.prepareStatement("SELECT ? + 1, concat(?, '!')")) {
      select.setInt(1, 41);
      select.setString(2, "hi");
      try (ResultSet rows = select.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(42);
        assertThat(rows.getString(2)).isEqualTo("hi!");
      }
    }
    HttpResponse<String> response = post(
        "param_n=41&param_tags=" + encode("['a','b']") + "&param_s=" + encode("x"),
        "SELECT {n:UInt32} + 1, length({tags:Array(String)}), {s:String} FORMAT TSV");
    assertThat(response.body()).isEqualTo("42\t2\tx\n");
  }

  @Test
  void storesHostileStringsVerbatim() throws Exception {
    try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE hostile (id UInt32, s String) ENGINE = MergeTree ORDER BY id");
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO hostile VALUES (?, ?)")) {
        for (int i = 0; i < HOSTILE.size(); i++) {
          insert.setInt(1, i);
          insert.setString(2, HOSTILE.get(i));
          insert.executeUpdate();
        }
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT id FROM hostile WHERE s = ?")) {
        for (int i = 0; i < HOSTILE.size(); i++) {
          select.setString(1, HOSTILE.get(i));
          try (ResultSet rows = select.executeQuery()) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(i);
          }
        }
      }
    }
    for (int i = 0; i < HOSTILE.size(); i++) {
      // URL parameters use ClickHouse's escaped text form, as clickhouse-client sends them.
      String escaped = HOSTILE.get(i).replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
      HttpResponse<String> response = post("param_s=" + encode(escaped),
          "SELECT id, s = {s:String} FROM hostile WHERE s = {s:String} FORMAT TSV");
      assertThat(response.body()).as(HOSTILE.get(i)).isEqualTo(i + "\t1\n");
    }
    assertThat(query("SELECT count() FROM hostile")).isEqualTo(HOSTILE.size() + "\n");
  }

  @Test
  void reportsErrorsWithTheClickHouseCodeAndKeepsServing() throws Exception {
    try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery("SELEC 1"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Code: 62. DB::Exception: Syntax error")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(62));
      try (ResultSet rows = statement.executeQuery("SELECT 1")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(1);
      }
    }
    HttpResponse<String> missing = post("", "SELECT * FROM no_such_table");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
    assertThat(missing.body()).startsWith("Code: 60. DB::Exception: ");
    HttpResponse<String> multi = post("", "SELECT 1; SELECT 2");
    assertThat(multi.statusCode()).isEqualTo(400);
    assertThat(multi.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("62");
    HttpResponse<String> readOnly =
        clickHouse.get("/?query=" + encode("CREATE TABLE get_made (a UInt8) ENGINE = Memory"));
    assertThat(readOnly.statusCode()).isEqualTo(403);
    assertThat(readOnly.body()).startsWith("Code: 164. DB::Exception: Cannot execute query in readonly mode.");
    HttpResponse<String> badPassword = post("user=default&password=wrong", "SELECT 1");
    assertThat(badPassword.statusCode()).isEqualTo(403);
    assertThat(badPassword.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
    assertThat(query("SELECT 1")).isEqualTo("1\n");
  }

  @Test
  void answersInTheRequestedFormat() throws Exception {
    query("CREATE TABLE formats (id UInt32, s String) ENGINE = MergeTree ORDER BY id");
    query("INSERT INTO formats VALUES (1, 'a'), (2, 'b,c')");
    String select = "SELECT id, s FROM formats ORDER BY id";
    HttpResponse<String> json = post("", select, "X-ClickHouse-Format", "JSONEachRow");
    assertThat(json.body()).isEqualTo("{\"id\":1,\"s\":\"a\"}\n{\"id\":2,\"s\":\"b,c\"}\n");
    assertThat(json.headers().firstValue("X-ClickHouse-Format")).hasValue("JSONEachRow");
    assertThat(post("default_format=CSV", select).body()).isEqualTo("1,\"a\"\n2,\"b,c\"\n");
    assertThat(post("", select).body()).isEqualTo("1\ta\n2\tb,c\n");
    HttpResponse<String> tsv = post("", select + " FORMAT TSVWithNames", "X-ClickHouse-Format", "JSON");
    assertThat(tsv.body()).isEqualTo("id\ts\n1\ta\n2\tb,c\n");
    assertThat(tsv.headers().firstValue("X-ClickHouse-Format")).hasValue("TSVWithNames");
    String full = query(select + " FORMAT JSON");
    assertThat(full).contains("\"data\":", "\"rows\": 2", "{\n\t\t\t\"id\": 1,\n\t\t\t\"s\": \"a\"\n\t\t}");
    HttpResponse<String> summary = post("", select, "X-ClickHouse-Format", "JSONEachRow");
    assertThat(summary.headers().firstValue("X-ClickHouse-Summary").orElseThrow()).contains("\"result_rows\":\"2\"");
    assertThat(summary.headers().firstValue("X-ClickHouse-Timezone")).hasValue("UTC");
  }

  @Test
  void acceptsRowBinaryJsonEachRowAndTsvInsertBodies() throws Exception {
    query("CREATE TABLE bodies (id UInt32, s String) ENGINE = MergeTree ORDER BY id");
    ByteBuffer rowBinary = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    rowBinary.putInt(1).put((byte) 3).put("one".getBytes(StandardCharsets.UTF_8));
    rowBinary.putInt(2).put((byte) 0);
    HttpResponse<String> binary = clickHouse.post("query=" + encode("INSERT INTO bodies FORMAT RowBinary"),
        HttpRequest.BodyPublishers.ofByteArray(rowBinary.array(), 0, rowBinary.position()));
    assertThat(binary.statusCode()).as(binary.body()).isEqualTo(200);
    assertThat(binary.headers().firstValue("X-ClickHouse-Summary").orElseThrow()).contains("\"written_rows\":\"2\"");
    assertThat(post("query=" + encode("INSERT INTO bodies FORMAT JSONEachRow"),
        "{\"id\":3,\"s\":\"three\"}\n{\"id\":4,\"s\":\"fo\\\"ur\"}\n").statusCode()).isEqualTo(200);
    assertThat(post("query=" + encode("INSERT INTO bodies (id, s) FORMAT TSV"), "5\tfi\\tve\n").statusCode())
        .isEqualTo(200);
    assertThat(post("query=" + encode("INSERT INTO bodies VALUES"), "(6, 'six')").statusCode()).isEqualTo(200);
    assertThat(query("INSERT INTO bodies FORMAT TSV\n7\tseven\n")).isEmpty();
    assertThat(query("SELECT id, s FROM bodies ORDER BY id FORMAT TSV"))
        .isEqualTo("1\tone\n2\t\n3\tthree\n4\tfo\"ur\n5\tfi\\tve\n6\tsix\n7\tseven\n");
  }

  @Test
  void appliesUrlSettingsAndDatabaseToOneQueryOnly() throws Exception {
    String hundred = "SELECT number FROM numbers(100) FORMAT TSV";
    HttpResponse<String> limited = post("max_result_rows=10&wait_end_of_query=1", hundred);
    assertThat(limited.statusCode()).isEqualTo(500);
    assertThat(limited.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("396");
    assertThat(query(hundred).lines()).hasSize(100);
    assertThat(query("SELECT getSetting('max_result_rows')")).isEqualTo("0\n");

    query("SET max_threads = 1");
    query("SET readonly = 1");
    query("CREATE DATABASE IF NOT EXISTS other");
    assertThat(post("database=other", "SELECT currentDatabase()").body()).isEqualTo("other\n");
    assertThat(post("", "SELECT currentDatabase()", "X-ClickHouse-Database", "other").body()).isEqualTo("other\n");
    query("USE other");
    assertThat(query("SELECT currentDatabase(), getSetting('max_threads') != 1, getSetting('readonly')"))
        .isEqualTo("default\t1\t0\n");

    HttpResponse<String> hostileDatabase = post("database=" + encode("x`; DROP TABLE formats; --"), "SELECT 1");
    assertThat(hostileDatabase.statusCode()).isEqualTo(404);
    assertThat(hostileDatabase.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("81");
    assertThat(post("log_comment=" + encode("a'; DROP TABLE formats; --\\"), "SELECT getSetting('log_comment')")
        .body()).isEqualTo("a\\'; DROP TABLE formats; --\\\\\n");
    assertThat(post("max_threads%3D1%3B%20DROP=1", "SELECT 1").headers().firstValue("X-ClickHouse-Exception-Code"))
        .hasValue("115");

    query("CREATE TABLE dedup (id UInt32) ENGINE = MergeTree ORDER BY id"
        + " SETTINGS non_replicated_deduplication_window = 100");
    for (int i = 0; i < 2; i++) {
      assertThat(post("query=" + encode("INSERT INTO dedup FORMAT TSV") + "&insert_deduplication_token=abc",
          "1\n2\n").statusCode()).isEqualTo(200);
    }
    query("INSERT INTO dedup VALUES (3)");
    assertThat(query("SELECT count() FROM dedup")).isEqualTo("3\n");
  }

  @Test
  void servesSixteenConcurrentClients() throws Exception {
    query("CREATE TABLE concurrent (client UInt32, n UInt32) ENGINE = MergeTree ORDER BY (client, n)");
    ExecutorService clients = Executors.newFixedThreadPool(16);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        int client = c;
        results.add(clients.submit(() -> {
          try (Connection connection = jdbc();
              PreparedStatement insert = connection.prepareStatement("INSERT INTO concurrent VALUES (?, ?)");
              PreparedStatement count = connection.prepareStatement(
                  "SELECT count() FROM concurrent WHERE client = ?")) {
            for (int n = 0; n < 10; n++) {
              insert.setInt(1, client);
              insert.setInt(2, n);
              insert.executeUpdate();
              count.setInt(1, client);
              try (ResultSet rows = count.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(n + 1);
              }
            }
            return 10L;
          }
        }));
      }
      long total = 0;
      for (Future<Long> result : results) {
        total += result.get();
      }
      assertThat(total).isEqualTo(160);
    } finally {
      clients.shutdownNow();
    }
    assertThat(query("SELECT count(), uniqExact(client) FROM concurrent")).isEqualTo("160\t16\n");
  }
}
