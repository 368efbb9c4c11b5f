package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.Status;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.collector.otlp.OtlpJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad OTLP/HTTP request, with the answer the OTLP specification asks for; the collector serves on. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";
    private static final int MIB = 1024 * 1024;
    private static final byte[] GARBAGE = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1, 2, 3};
    private static final byte[] VALID = Spans.request("checkout", 1, 20).toByteArray();

    private final EmbeddedKafka kafka;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RunningCollector collector;

    BadInputTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    /**
     * One bad request and its answer.
     *
     * @param body    a fresh body stream each time, so that large bodies are generated while sent
     * @param length  the body's length, or -1 to send it chunked
     * @param message what the answer's {@code google.rpc.Status} or problem detail starts with
     * @param expectContinue whether the client sends {@code Expect: 100-continue}: then a refusal comes before the
     *                       body, which the client never uploads
     */
    record Case(String name, String method, String path, String contentType, String encoding,
            Supplier<InputStream> body, long length, int status, String answerType, String message,
            boolean expectContinue) {

        Case(String name, String method, String path, String contentType, String encoding, Supplier<InputStream> body,
                long length, int status, String answerType, String message) {
            this(name, method, path, contentType, encoding, body, length, status, answerType, message, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("garbage protobuf", "POST", "/v1/traces", PROTOBUF, null, bytes(GARBAGE), GARBAGE.length, 400,
                        PROTOBUF, "not a valid ExportTraceServiceRequest"),
                new Case("truncated protobuf", "POST", "/v1/traces", PROTOBUF, null,
                        bytes(Arrays.copyOf(VALID, VALID.length / 2)), VALID.length / 2, 400, PROTOBUF,
                        "not a valid ExportTraceServiceRequest"),
                new Case("garbage protobuf metrics", "POST", "/v1/metrics", PROTOBUF, null, bytes(GARBAGE),
                        GARBAGE.length, 400, PROTOBUF, "not a valid ExportMetricsServiceRequest"),
                new Case("garbage protobuf logs", "POST", "/v1/logs", PROTOBUF, null, bytes(GARBAGE), GARBAGE.length,
                        400, PROTOBUF, "not a valid ExportLogsServiceRequest"),
                json("JSON of the wrong type", "/v1/traces", "{\"resourceSpans\":\"many\"}",
                        "not a valid ExportTraceServiceRequest"),
                json("JSON array", "/v1/traces", "[1,2,3]",
                        "not a valid ExportTraceServiceRequest: expected a JSON object but got ARRAY"),
                json("truncated JSON", "/v1/logs", "{\"resourceLogs\":[{\"scopeLogs\":",
                        "not a valid ExportLogsServiceRequest: not valid JSON"),
                json("JSON number where an object belongs", "/v1/metrics", "{\"resourceMetrics\":[7]}",
                        "not a valid ExportMetricsServiceRequest"),
                json("JSON time beyond 64 bits", "/v1/traces",
                        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":1e30}]}]}]}",
                        "not a valid ExportTraceServiceRequest"),
                json("invalid hex trace id", "/v1/traces",
                        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz8EFFF798038103D269B633813FC60C\"}]}]}]}",
                        "not a valid ExportTraceServiceRequest: trace and span ids must be hex but got \"zz8EFFF7"),
                json("odd-length hex span id", "/v1/logs",
                        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"spanId\":\"ABC\"}]}]}]}",
                        "not a valid ExportLogsServiceRequest: trace and span ids must be hex but got \"ABC\""),
                new Case("1 GiB gzip bomb", "POST", "/v1/traces", PROTOBUF, "gzip", () -> GzipBomb.ofZeros(1024L * MIB),
                        -1, 413, PROTOBUF, "request body exceeds 20971520 bytes after decompression"),
                new Case("30 MiB body", "POST", "/v1/traces", PROTOBUF, null, zeros(30 * MIB), 30 * MIB, 413, PROTOBUF,
                        "request body exceeds 20971520 bytes after decompression"),
                new Case("30 MiB body after Expect: 100-continue", "POST", "/v1/traces", PROTOBUF, null, zeros(30 * MIB),
                        30 * MIB, 413, PROTOBUF, "request body exceeds 20971520 bytes after decompression", true),
                new Case("unknown content type after Expect: 100-continue", "POST", "/v1/logs", "text/plain", null,
                        bytes(VALID), VALID.length, 415, PROBLEM, "Content-Type must be application/x-protobuf or "
                        + "application/json but was 'text/plain'", true),
                new Case("30 MiB chunked JSON body", "POST", "/v1/metrics", JSON, null, zeros(30 * MIB), -1, 413, JSON,
                        "request body exceeds 20971520 bytes after decompression"),
                new Case("broken gzip", "POST", "/v1/traces", PROTOBUF, "gzip", bytes("plain".getBytes()), 5, 400,
                        PROTOBUF, "unreadable request body"),
                new Case("unknown content type", "POST", "/v1/traces", "text/plain", null, bytes(VALID), VALID.length,
                        415, PROBLEM, "Content-Type must be application/x-protobuf or application/json but was 'text/plain'"),
                new Case("no content type", "POST", "/v1/logs", null, null, bytes(VALID), VALID.length, 415, PROBLEM,
                        "Content-Type must be application/x-protobuf or application/json but was missing"),
                new Case("unknown content encoding", "POST", "/v1/traces", PROTOBUF, "br", bytes(VALID), VALID.length,
                        415, PROBLEM, "Content-Encoding must be gzip, zstd or identity but was 'br'"),
                new Case("GET", "GET", "/v1/traces", null, null, null, 0, 405, PROBLEM, "OTLP/HTTP takes POST but got GET"),
                new Case("PUT", "PUT", "/v1/metrics", PROTOBUF, null, bytes(VALID), VALID.length, 405, PROBLEM,
                        "OTLP/HTTP takes POST but got PUT"),
                new Case("unknown path", "POST", "/v1/profiles", PROTOBUF, null, bytes(VALID), VALID.length, 404, PROBLEM,
                        "no OTLP endpoint at /v1/profiles"),
                new Case("path below an endpoint", "POST", "/v1/traces/more", PROTOBUF, null, bytes(VALID),
                        VALID.length, 404, PROBLEM, "no OTLP endpoint at /v1/traces/more"));
    }

    @BeforeAll
    void start() throws Exception {
        collector = CollectorMain.start(TestConfigs.collector(kafka.bootstrapServers(), NinesInfra.uniqueName("bad")));
    }

    @AfterAll
    void stop() {
        collector.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsOtlpAsksAndKeepsServing(Case bad) throws Exception {
        AtomicLong uploaded = new AtomicLong();
        long started = System.nanoTime();
        // with OkHttp: Java 17's HttpClient waits forever for a final status answering 100-continue
        Answer answer = bad.expectContinue() ? sendExpectingContinue(bad, uploaded) : send(bad);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(answer.status()).isEqualTo(bad.status());
        assertThat(answer.contentType()).isEqualTo(bad.answerType());
        assertThat(message(answer.body(), bad.answerType())).startsWith(bad.message());
        if (bad.status() == 405) {
            assertThat(answer.allow()).isEqualTo("POST");
        }
        if (bad.expectContinue()) {
            // answered instead of 100 Continue: the client never started the upload
            assertThat(uploaded).as("body bytes the client sent").hasValue(0);
        }
        HttpResponse<byte[]> good = http.send(HttpRequest.newBuilder(uri("/v1/traces"))
                .header("Content-Type", PROTOBUF).POST(HttpRequest.BodyPublishers.ofByteArray(VALID)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(good.statusCode()).isEqualTo(200);
    }

    /** What came back, whichever client sent the request. */
    record Answer(int status, String contentType, String allow, byte[] body) {}

    private Answer send(Case bad) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(bad.path())).timeout(Duration.ofSeconds(30));
        if (bad.contentType() != null) {
            request.header("Content-Type", bad.contentType());
        }
        if (bad.encoding() != null) {
            request.header("Content-Encoding", bad.encoding());
        }
        HttpRequest.BodyPublisher body = bad.body() == null ? HttpRequest.BodyPublishers.noBody()
                : bad.length() < 0 ? HttpRequest.BodyPublishers.ofInputStream(bad.body())
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(bad.body()),
                        bad.length());
        HttpResponse<byte[]> response = http.send(request.method(bad.method(), body).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.headers().firstValue("Allow").orElse(null), response.body());
    }

    private Answer sendExpectingContinue(Case bad, AtomicLong uploaded) throws IOException {
        ExpectingContinue.Answer answer = ExpectingContinue.send(uri(bad.path()).toString(), bad.method(),
                bad.contentType(), bad.encoding(), bad.body(), bad.length(), uploaded);
        return new Answer(answer.status(), answer.contentType(), answer.allow(), answer.body());
    }

    private static String message(byte[] body, String type) throws Exception {
        return switch (type) {
            case PROTOBUF -> Status.parseFrom(body).getMessage();
            case JSON -> {
                Status.Builder status = Status.newBuilder();
                new OtlpJson().merge(body, status);
                yield status.getMessage();
            }
            default -> new ObjectMapper().readTree(body).get("detail").asText();
        };
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + collector.otlpHttpPort() + path);
    }

    private static Case json(String name, String path, String body, String message) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new Case(name, "POST", path, JSON, null, bytes(bytes), bytes.length, 400, JSON, message);
    }

    private static Supplier<InputStream> bytes(byte[] body) {
        return () -> new ByteArrayInputStream(body);
    }

    private static Supplier<InputStream> zeros(int size) {
        return () -> new ByteArrayInputStream(new byte[size]);
    }
}
