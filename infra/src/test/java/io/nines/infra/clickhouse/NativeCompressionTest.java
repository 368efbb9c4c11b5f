package io.nines.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.internal.ClickHouseLZ4InputStream;
import com.clickhouse.client.api.internal.ClickHouseLZ4OutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClickHouse's native LZ4 framing (compress=1, decompress=1), checked against clickhouse-java's own codec. */
class NativeCompressionTest {

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

  @Test
  void speaksClickHouseNativeLz4BothWays() throws Exception {
    clickHouse.query("CREATE TABLE compressed (id UInt32, s String) ENGINE = MergeTree ORDER BY id");
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 120_000; i++) {
      rows.append(i).append('\t').append("value-").append(i % 7).append('\n');
    }
    // Framed by clickhouse-java's own LZ4 stream, an implementation independent of the server's.
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    try (ClickHouseLZ4OutputStream out =
        new ClickHouseLZ4OutputStream(framed, LZ4Factory.fastestInstance().fastCompressor(), 64 * 1024)) {
      out.write(rows.toString().getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> insert = clickHouse.post("decompress=1&query=" + LocalClickHouse.encode("INSERT INTO compressed FORMAT TSV"),
        HttpRequest.BodyPublishers.ofByteArray(framed.toByteArray()));
    assertThat(insert.statusCode()).as(insert.body()).isEqualTo(200);

    HttpResponse<byte[]> response =
        clickHouse.postForBytes("compress=1", "SELECT id, s FROM compressed ORDER BY id FORMAT TSV");
    assertThat(response.statusCode()).isEqualTo(200);
    try (ClickHouseLZ4InputStream in = new ClickHouseLZ4InputStream(new ByteArrayInputStream(response.body()),
        LZ4Factory.fastestInstance().fastDecompressor(), 64 * 1024)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(rows.toString());
    }

    HttpResponse<String> corrupt = clickHouse.post("decompress=1&query=" + LocalClickHouse.encode("INSERT INTO compressed FORMAT TSV"),
        HttpRequest.BodyPublishers.ofString("not lz4 at all, just text"));
    assertThat(corrupt.statusCode()).isEqualTo(400);
    assertThat(corrupt.body()).startsWith("Code: 271. DB::Exception: Cannot decompress request body");
    assertThat(clickHouse.query("SELECT count() FROM compressed")).isEqualTo("120000\n");
  }

  @Test
  void servesJdbcThatCompressesItsRequests() throws Exception {
    try (Connection connection = clickHouse.jdbc("?decompress=true");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE client_compressed (id UInt32) ENGINE = MergeTree ORDER BY id");
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO client_compressed VALUES (?)")) {
        for (int i = 1; i <= 1000; i++) {
          insert.setInt(1, i);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      try (ResultSet rows = statement.executeQuery("SELECT count(), sum(id) FROM client_compressed")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(1000);
        assertThat(rows.getLong(2)).isEqualTo(500_500);
      }
    }
  }

  @Test
  void refusesFramesThatDeclareMoreThanTheBodyLimitBeforeInflatingThem() throws Exception {
    NativeLz4 lz4 = new NativeLz4();
    byte[] framed = lz4.compress(new byte[4_096]);

    assertThat(lz4.decompress(framed, 4_096)).hasSize(4_096);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> lz4.decompress(framed, 4_095))
        .isInstanceOfSatisfying(ClickHouseException.class, e -> {
          assertThat(e.code()).isEqualTo(307);
          assertThat(e.httpStatus()).isEqualTo(413);
        });
  }
}
