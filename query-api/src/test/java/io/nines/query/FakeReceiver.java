package io.nines.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The outside world that receives pages: one local HTTP server whose paths play PagerDuty's Events API v2
 * (202 {"status":"success"}), Slack incoming webhooks (200 "ok") and generic webhooks (200). A path can be told to
 * answer its next requests otherwise: an error status, a {@code Retry-After}, or no answer in time (a hang).
 */
public final class FakeReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Received(String path, Map<String, List<String>> headers, String body, Instant at) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** How to answer one request. */
    record Answer(int status, Map<String, String> headers, boolean hangs) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), false);
        }

        static Answer retryAfter(int status, int seconds) {
            return new Answer(status, Map.of("Retry-After", Integer.toString(seconds)), false);
        }

        /** Holds the request until the receiver closes: the caller's timeout must end it. */
        static Answer hang() {
            return new Answer(0, Map.of(), true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Answer> always = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    public FakeReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The next requests to {@code path} get these answers, in order; later ones the default. */
    void script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
    }

    /** Every request to {@code path} gets {@code answer}. */
    void always(String path, Answer answer) {
        always.put(path, answer);
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Answer answer = next(path);
        if (answer.hangs()) {
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), body, Instant.now()));
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] reply = answer.status() >= 300 ? "{\"error\":\"scripted\"}".getBytes(StandardCharsets.UTF_8)
                : path.startsWith("/slack") ? "ok".getBytes(StandardCharsets.UTF_8)
                : "{\"status\":\"success\",\"message\":\"Event processed\"}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    private Answer next(String path) {
        Deque<Answer> script = scripts.get(path);
        Answer scripted = script == null ? null : script.poll();
        if (scripted != null) {
            return scripted;
        }
        return always.getOrDefault(path, Answer.status(path.startsWith("/pagerduty") ? 202 : 200));
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    static Duration since(Instant start) {
        return Duration.between(start, Instant.now());
    }
}
