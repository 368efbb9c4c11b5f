package io.nines.infra.clickhouse;

import static io.nines.infra.clickhouse.LocalClickHouse.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad request never takes the server down: garbage, wrong types, invalid UTF-8, oversize bodies and gzip
 * bombs each get a ClickHouse-style error, and the next query still succeeds. The server here accepts bodies of
 * up to 1 MiB, so the oversize cases stay small.
 */
class ClickHouseServerBadInputTest {

  private static final long LIMIT = 1 << 20;

  @TempDir static Path data;
  static LocalClickHouse clickHouse;

  @BeforeAll
  static void start() throws Exception {
    clickHouse = LocalClickHouse.start(new ClickHouseServerConfig("127.0.0.1", 0, data,
        LocalClickHouse.chdbLibrary(), Optional.empty(), LIMIT));
  }

  @AfterAll
  static void stop() {
    clickHouse.close();
  }

  @BeforeEach
  void freshTable() throws Exception {
    clickHouse.query("DROP TABLE IF EXISTS t");
    clickHouse.query("CREATE TABLE t (id UInt32, s String) ENGINE = MergeTree ORDER BY id");
  }

  @Test
  void refusesGarbageRowBinaryAndKeepsServing() throws Exception {
    // a UInt32, then a string whose varint length (2^35 - 1) is beyond any string ClickHouse reads
    byte[] garbage = {1, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 'x'};
    HttpResponse<String> response = clickHouse.post("query=" + encode("INSERT INTO t FORMAT RowBinary"),
        HttpRequest.BodyPublishers.ofByteArray(garbage));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(500);
    assertThat(response.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("131");
    assertThat(response.body()).startsWith("Code: 131. DB::Exception: ");
    assertStillServing(0);
  }

  @Test
  void refusesTsvWithWrongTypesAndKeepsServing() throws Exception {
    HttpResponse<String> response = clickHouse.post("query=" + encode("INSERT INTO t FORMAT TSV"),
        "1\tone\nnot-a-number\ttwo\n");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("27");
    assertThat(response.body()).startsWith("Code: 27. DB::Exception: ");
    assertStillServing(0);
  }

  @Test
  void keepsInvalidUtf8InDataVerbatimAndReplacesItInSql() throws Exception {
    byte[] row = {7, 0, 0, 0, 2, (byte) 0xFF, (byte) 0xFE};
    assertThat(clickHouse.post("query=" + encode("INSERT INTO t FORMAT RowBinary"),
        HttpRequest.BodyPublishers.ofByteArray(row)).statusCode()).isEqualTo(200);
    // SQL is text: bytes that are not UTF-8 become U+FFFD (3 bytes) each, as Java decodes them
    byte[] sql = {'S', 'E', 'L', 'E', 'C', 'T', ' ', 'l', 'e', 'n', 'g', 't', 'h', '(', '\'', (byte) 0xC3, '\'', ')'};
    HttpResponse<String> select = clickHouse.post("", HttpRequest.BodyPublishers.ofByteArray(sql));

    assertThat(select.statusCode()).as(select.body()).isEqualTo(200);
    assertThat(select.body()).isEqualTo("3\n");
    assertThat(clickHouse.query("SELECT id, hex(s) FROM t")).isEqualTo("7\tFFFE\n");
  }

  @Test
  void acceptsAGzipBody() throws Exception {
    HttpResponse<String> response = clickHouse.post("query=" + encode("INSERT INTO t FORMAT TSV"),
        HttpRequest.BodyPublishers.ofByteArray(gzip("1\tone\n2\ttwo\n".getBytes(StandardCharsets.UTF_8))),
        "Content-Encoding", "gzip");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(clickHouse.query("SELECT id, s FROM t ORDER BY id")).isEqualTo("1\tone\n2\ttwo\n");
  }

  @Test
  void refusesAGzipBombOnceItInflatesPastTheLimit() throws Exception {
    byte[] bomb = gzip(new byte[16 << 20]);
    assertThat(bomb.length).as("16 MiB of zeros compress to a few KiB").isLessThan(32 * 1024);

    HttpResponse<String> response = clickHouse.post("query=" + encode("INSERT INTO t FORMAT RowBinary"),
        HttpRequest.BodyPublishers.ofByteArray(bomb), "Content-Encoding", "gzip");

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("307");
    assertThat(response.body()).startsWith("Code: 307. DB::Exception: The request body (after gzip decoding) is "
        + "larger than the limit of 1048576 bytes (--max-body-bytes). (TOO_MANY_BYTES)");
    assertStillServing(0);
  }

  @Test
  void refusesADeclaredOneGigabyteBodyWithoutReadingIt() throws Exception {
    // Only the headers are sent: were the server reading the gigabyte first, it would wait for it forever.
    String answer = raw("POST /?query=" + encode("INSERT INTO t FORMAT RowBinary") + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n", new byte[0]);

    assertThat(answer).startsWith("HTTP/1.1 413 ").contains("X-clickhouse-exception-code: 307")
        .contains("Code: 307. DB::Exception: The request body is 1073741824 bytes (Content-Length), more than the limit of 1048576 bytes");
    assertStillServing(0);
  }

  @Test
  void refusesAChunkedBodyOnceItPassesTheLimit() throws Exception {
    byte[] rows = "1\tx\n".repeat((int) (LIMIT / 4) + 1).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream chunked = new ByteArrayOutputStream();
    for (int offset = 0; offset < rows.length; offset += 65_536) {
      int length = Math.min(65_536, rows.length - offset);
      chunked.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunked.write(rows, offset, length);
      chunked.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    chunked.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

    String answer = raw("POST /?query=" + encode("INSERT INTO t FORMAT TSV") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n", chunked.toByteArray());

    assertThat(answer).startsWith("HTTP/1.1 413 ")
        .contains("Code: 307. DB::Exception: The request body (as sent) is larger than the limit of 1048576 bytes");
    assertStillServing(0);
  }

  @Test
  void refusesAWrongPasswordBeforeReadingTheBody() throws Exception {
    String answer = raw("POST /?user=default&password=wrong HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Length: 1073741824\r\nConnection: close\r\n\r\n", new byte[0]);

    assertThat(answer).startsWith("HTTP/1.1 403 ").contains("Code: 516. DB::Exception: default: Authentication failed");
    assertStillServing(0);
  }

  @Test
  void acceptsABodyJustUnderTheLimit() throws Exception {
    String rows = "1\tx\n".repeat((int) (LIMIT / 4) - 1);
    HttpResponse<String> response = clickHouse.post("query=" + encode("INSERT INTO t FORMAT TSV"), rows);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertStillServing(LIMIT / 4 - 1);
  }

  private static void assertStillServing(long rows) throws Exception {
    assertThat(clickHouse.query("SELECT count() FROM t")).isEqualTo(rows + "\n");
    assertThat(clickHouse.query("SELECT 1")).isEqualTo("1\n");
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  /**
   * One request over a plain socket, so the test decides what is sent; returns the answer's head and body. Read
   * by its Content-Length, not to the end: the server keeps the connection until the unsent body is given up.
   */
  private static String raw(String head, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", clickHouse.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      int headEnd = -1;
      long length = -1;
      while (headEnd < 0 || answer.size() < headEnd + length) {
        int next = in.read();
        if (next < 0) {
          break;
        }
        answer.write(next);
        String text = answer.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
          headEnd = text.length();
          Matcher contentLength = Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
          length = contentLength.find() ? Long.parseLong(contentLength.group(1)) : 0;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
