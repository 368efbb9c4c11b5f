package io.nines.infra.clickhouse;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the ClickHouse HTTP interface: health checks on {@code /ping} and {@code /}, queries on {@code /}. */
final class QueryHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(QueryHandler.class);
  private static final byte[] OK = "Ok.\n".getBytes(StandardCharsets.US_ASCII);
  private static final String DISPLAY_NAME = "nines-chdb";

  private final ChdbEngine engine;
  private final NativeLz4 lz4;
  private final byte[] password;
  private final RequestBodies bodies;

  QueryHandler(ChdbEngine engine, NativeLz4 lz4, String password, RequestBodies bodies) {
    this.engine = engine;
    this.lz4 = lz4;
    this.password = password.getBytes(StandardCharsets.UTF_8);
    this.bodies = bodies;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String queryId = UUID.randomUUID().toString();
    try (exchange; RequestBodies.Lease lease = bodies.lease()) {
      try {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (path.equals("/ping") || path.equals("/replicas_status")
            || (path.equals("/") && method.equals("GET") && (rawQuery == null || rawQuery.isEmpty()))) {
          send(exchange, 200, "text/plain; charset=UTF-8", OK);
          return;
        }
        if (!path.equals("/")) {
          sendText(exchange, 404, "There is no handle " + path
              + "\n\nUse / or /ping for health checks.\nSend queries with POST / or GET /?query=...\n");
          return;
        }
        if (!method.equals("GET") && !method.equals("POST")) {
          exchange.getResponseHeaders().set("Allow", "GET, POST");
          sendText(exchange, 405, "Method " + method + " is not allowed: use GET or POST\n");
          return;
        }
        // Before the body: a client without the password gets nothing read, parsed or held for it.
        authenticate(QueryRequest.Credentials.of(exchange));
        QueryRequest request = QueryRequest.read(exchange, lz4, bodies, lease);
        queryId = request.queryId();
        Outcome outcome = engine.execute(request.statement());
        respond(exchange, request, outcome);
      } catch (ClickHouseException e) {
        sendError(exchange, queryId, e);
      } catch (IOException e) {
        LOG.debug("Client went away during query {}: {}", queryId, e.getMessage());
      } catch (RuntimeException e) {
        LOG.error("Query {} failed inside the server", queryId, e);
        sendError(exchange, queryId, ClickHouseException.fromEngine(String.valueOf(e)));
      } catch (OutOfMemoryError e) {
        // The body limits make this unlikely (a huge result still can); answer, so the client is not left hanging.
        LOG.error("Query {} ran out of memory", queryId, e);
        sendError(exchange, queryId, ClickHouseException.of(ClickHouseException.MEMORY_LIMIT_EXCEEDED,
            "MEMORY_LIMIT_EXCEEDED", "The server ran out of memory for this query"));
      }
    }
  }

  private void authenticate(QueryRequest.Credentials request) throws ClickHouseException {
    boolean userMatches = request.user().equals("default");
    boolean passwordMatches = MessageDigest.isEqual(password, request.password().getBytes(StandardCharsets.UTF_8));
    if (!userMatches || !passwordMatches) {
      throw ClickHouseException.of(ClickHouseException.AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED",
          request.user() + ": Authentication failed: password is incorrect, or there is no user with such name");
    }
  }

  private void respond(HttpExchange exchange, QueryRequest request, Outcome outcome) throws IOException {
    String format = request.resultFormat();
    Headers headers = exchange.getResponseHeaders();
    headers.set("X-ClickHouse-Query-Id", request.queryId());
    headers.set("X-ClickHouse-Format", format);
    headers.set("X-ClickHouse-Summary", outcome.summaryJson());
    byte[] body = request.compressResponse() ? lz4.compress(outcome.body()) : outcome.body();
    send(exchange, 200, contentType(format), body);
  }

  private void sendError(HttpExchange exchange, String queryId, ClickHouseException error) {
    try {
      exchange.getResponseHeaders().set("X-ClickHouse-Query-Id", queryId);
      exchange.getResponseHeaders().set("X-ClickHouse-Exception-Code", Integer.toString(error.code()));
      sendText(exchange, error.httpStatus(), error.getMessage() + " (version " + engine.version() + " (chDB))\n");
    } catch (IOException e) {
      LOG.debug("Client went away before the error of query {}: {}", queryId, e.getMessage());
    }
  }

  private void sendText(HttpExchange exchange, int status, String text) throws IOException {
    send(exchange, status, "text/plain; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
  }

  private void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", contentType);
    headers.set("X-ClickHouse-Server-Display-Name", DISPLAY_NAME);
    headers.set("X-ClickHouse-Timezone", "UTC");
    // Shorter than the JDK server's idle timeout, so pooled client connections are never reused after we drop them.
    headers.set("Keep-Alive", "timeout=10");
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String contentType(String format) {
    String f = format.toLowerCase(Locale.ROOT);
    if (f.startsWith("tabseparated") || f.startsWith("tsv")) {
      return "text/tab-separated-values; charset=UTF-8";
    }
    if (f.startsWith("csv")) {
      return "text/csv; charset=UTF-8; header=" + (f.contains("names") ? "present" : "absent");
    }
    if (f.startsWith("json") && f.contains("eachrow")) {
      return "application/x-ndjson; charset=UTF-8";
    }
    if (f.startsWith("json")) {
      return "application/json; charset=UTF-8";
    }
    if (f.equals("xml")) {
      return "application/xml; charset=UTF-8";
    }
    if (f.startsWith("pretty") || f.equals("vertical") || f.equals("markdown") || f.equals("values")) {
      return "text/plain; charset=UTF-8";
    }
    return "application/octet-stream";
  }
}
