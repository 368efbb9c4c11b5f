package io.nines.infra.clickhouse;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A query as the ClickHouse HTTP interface receives it: SQL from the {@code query} URL argument and/or the body
 * (argument first, then the body, as ClickHouse concatenates them), per-query settings and {@code param_}
 * values from the URL, credentials from the URL, X-ClickHouse-User/Key or Basic auth.
 */
record QueryRequest(
    Statement statement, String queryId, String user, String password, boolean compressResponse) {

  /** URL arguments the HTTP interface itself consumes; every other argument is a ClickHouse setting. */
  private static final Set<String> HTTP_ARGUMENTS =
      Set.of(
          "query", "database", "default_format", "query_id", "user", "password", "quota_key", "compress",
          "decompress", "session_id", "session_timeout", "session_check", "stacktrace", "role",
          "client_protocol_version", "buffer_size", "wait_end_of_query", "readonly");
  private static final String PARAMETER_PREFIX = "param_";
  /** An INSERT whose rows come in the body: the statement, then the input format. */
  private static final Pattern INSERT_WITH_FORMAT =
      Pattern.compile("(?is)^\\s*(INSERT\\s+INTO\\s.+?)\\s+FORMAT\\s+([A-Za-z0-9_]+)\\s*;?\\s*$");
  private static final Pattern OUTPUT_FORMAT =
      Pattern.compile("(?is)\\bFORMAT\\s+([A-Za-z0-9_]+)\\s*(?:SETTINGS\\s[^;]*)?;?\\s*$");

  /** Who the request says it is, from the URL and headers only: known before a byte of the body is read. */
  record Credentials(String user, String password) {

    static Credentials of(HttpExchange exchange) throws ClickHouseException {
      Map<String, String> arguments = urlArguments(exchange.getRequestURI().getRawQuery());
      Headers headers = exchange.getRequestHeaders();
      Optional<String[]> basic = basicCredentials(headers.getFirst("Authorization"));
      return new Credentials(
          first(arguments.get("user"), headers.getFirst("X-ClickHouse-User"), basic.map(c -> c[0]).orElse(null),
              "default"),
          first(arguments.get("password"), headers.getFirst("X-ClickHouse-Key"), basic.map(c -> c[1]).orElse(null),
              ""));
    }
  }

  /** Reads the whole request; its body within {@code bodies}' limits, held against {@code lease}. */
  static QueryRequest read(HttpExchange exchange, NativeLz4 lz4, RequestBodies bodies, RequestBodies.Lease lease)
      throws IOException, ClickHouseException {
    Map<String, String> arguments = urlArguments(exchange.getRequestURI().getRawQuery());
    Headers headers = exchange.getRequestHeaders();
    boolean get = "GET".equalsIgnoreCase(exchange.getRequestMethod());
    byte[] body = get ? new byte[0] : decoded(exchange, arguments, lz4, bodies, lease);

    Credentials credentials = Credentials.of(exchange);
    String user = credentials.user();
    String password = credentials.password();

    Map<String, String> parameters = new HashMap<>();
    Map<String, String> settings = new LinkedHashMap<>();
    arguments.forEach((name, value) -> {
      if (name.startsWith(PARAMETER_PREFIX)) {
        parameters.put(name.substring(PARAMETER_PREFIX.length()), value);
      } else if (!HTTP_ARGUMENTS.contains(name)) {
        settings.put(name, value);
      }
    });
    String readonly = arguments.getOrDefault("readonly", "0");
    boolean readOnly = get || readonly.equals("1") || readonly.equals("2");
    String outputFormat = first(arguments.get("default_format"), headers.getFirst("X-ClickHouse-Format"), null,
        "TabSeparated");
    String database = first(arguments.get("database"), headers.getFirst("X-ClickHouse-Database"), null,
        ChdbEngine.DEFAULT_DATABASE);

    String query = arguments.get("query");
    String sql;
    String insertFormat = null;
    byte[] data = new byte[0];
    if (query == null) {
      sql = new String(body, StandardCharsets.UTF_8);
    } else if (body.length == 0) {
      sql = query;
    } else {
      Matcher insert = INSERT_WITH_FORMAT.matcher(query);
      if (insert.matches()) {
        sql = insert.group(1);
        insertFormat = insert.group(2);
        data = body;
      } else {
        sql = query + "\n" + new String(body, StandardCharsets.UTF_8);
      }
    }
    if (sql.isBlank()) {
      throw ClickHouseException.of(ClickHouseException.SYNTAX_ERROR, "SYNTAX_ERROR", "Empty query");
    }
    String queryId = first(arguments.get("query_id"), null, null, UUID.randomUUID().toString());
    Statement statement = new Statement(
        sql, insertFormat, data, outputFormat, database, parameters, settings, readOnly);
    return new QueryRequest(statement, queryId, user, password, isTrue(arguments.get("compress")));
  }

  /** The format the result is in: the statement's own FORMAT clause, else the requested default. */
  String resultFormat() {
    if (statement.isInsertWithData()) {
      return statement.outputFormat();
    }
    Matcher format = OUTPUT_FORMAT.matcher(statement.sql());
    return format.find() ? format.group(1) : statement.outputFormat();
  }

  private static byte[] decoded(HttpExchange exchange, Map<String, String> arguments, NativeLz4 lz4,
                                RequestBodies bodies, RequestBodies.Lease lease) throws IOException, ClickHouseException {
    long declared = declaredLength(exchange.getRequestHeaders());
    bodies.checkDeclared(declared);
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = lease.read(in, declared, "as sent");
    }
    String encoding = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Encoding"))
        .map(e -> e.strip().toLowerCase(Locale.ROOT)).orElse("");
    if (!encoding.isEmpty() && !encoding.equals("identity")) {
      try (InputStream in = switch (encoding) {
        case "gzip", "x-gzip" -> new GZIPInputStream(new ByteArrayInputStream(body));
        case "deflate" -> new InflaterInputStream(new ByteArrayInputStream(body));
        default -> throw ClickHouseException.of(48, "NOT_IMPLEMENTED",
            "Unsupported Content-Encoding '" + encoding + "' (use gzip or deflate)");
      }) {
        // Inflated within the limit too: a few kilobytes of gzip can expand to gigabytes.
        body = lease.read(in, body.length * 4L, "after " + encoding + " decoding");
      } catch (IOException e) {
        throw ClickHouseException.of(ClickHouseException.CANNOT_DECOMPRESS, "CANNOT_DECOMPRESS",
            "Cannot decode the " + encoding + " request body: " + e.getMessage());
      }
    }
    if (!isTrue(arguments.get("decompress"))) {
      return body;
    }
    byte[] decompressed = lz4.decompress(body, bodies.maxBodyBytes());
    lease.hold(decompressed.length);
    return decompressed;
  }

  /** Content-Length, or -1 when the body is chunked or the header is not a number (then it is read and counted). */
  private static long declaredLength(Headers headers) {
    String length = headers.getFirst("Content-Length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, String> urlArguments(String rawQuery) throws ClickHouseException {
    Map<String, String> arguments = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return arguments;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        arguments.put(name, value);
      } catch (IllegalArgumentException e) {
        throw ClickHouseException.of(ClickHouseException.SYNTAX_ERROR, "SYNTAX_ERROR",
            "Malformed URL argument '" + pair + "': " + e.getMessage());
      }
    }
    return arguments;
  }

  private static Optional<String[]> basicCredentials(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
          StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return Optional.of(colon < 0 ? new String[] {decoded, ""}
          : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean isTrue(String flag) {
    return flag != null && (flag.equals("1") || flag.equalsIgnoreCase("true"));
  }

  private static String first(String a, String b, String c, String fallback) {
    return a != null ? a : b != null ? b : c != null ? c : fallback;
  }
}
