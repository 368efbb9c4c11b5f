package io.nines.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** A started server on a free port plus the two ways clients reach it: clickhouse-jdbc and plain HTTP. */
final class LocalClickHouse implements AutoCloseable {

  private final ClickHouseServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalClickHouse(ClickHouseServer server) {
    this.server = server;
  }

  static LocalClickHouse start(Path data) throws IOException {
    return start(ClickHouseServerConfig.local(0, data, chdbLibrary()));
  }

  static LocalClickHouse start(ClickHouseServerConfig config) throws IOException {
    ClickHouseServer server = new ClickHouseServer(config);
    server.start();
    return new LocalClickHouse(server);
  }

  static Path chdbLibrary() {
    String library = System.getProperty("nines.chdb.lib", "");
    if (library.isBlank() || library.startsWith("${")) {
      throw new IllegalStateException(
          "system property nines.chdb.lib is not set: export NINES_CHDB_LIB=<path to libchdb.so> before Maven");
    }
    return Path.of(library);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  int port() {
    return server.port();
  }

  /** A JDBC connection with the driver's defaults, which include compress=1 responses. */
  Connection jdbc() throws SQLException {
    return jdbc("");
  }

  Connection jdbc(String urlOptions) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:clickhouse://127.0.0.1:" + port() + "/default" + urlOptions, "default", "");
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    return http.send(request(pathAndQuery, headers).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String urlArguments, String body, String... headers)
      throws IOException, InterruptedException {
    return post(urlArguments, HttpRequest.BodyPublishers.ofString(body), headers);
  }

  HttpResponse<String> post(String urlArguments, HttpRequest.BodyPublisher body, String... headers)
      throws IOException, InterruptedException {
    return http.send(request("/?" + urlArguments, headers).POST(body).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> postForBytes(String urlArguments, String body) throws IOException, InterruptedException {
    return http.send(request("/?" + urlArguments).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Runs SQL that must succeed and returns its result in the default format, TabSeparated. */
  String query(String sql) throws IOException, InterruptedException {
    HttpResponse<String> response = post("", sql);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + pathAndQuery));
    return headers.length > 0 ? request.headers(headers) : request;
  }

  @Override
  public void close() {
    server.close();
  }
}
