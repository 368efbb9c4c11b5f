package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.Status;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of bad request gets the answer OTLP asks for, and leaves the collector serving. */
@ExtendWith(NinesInfra.class)
class OtlpHttpBadInputTest {

    private static final String PROTOBUF = "application/x-protobuf";
    private static final int MIB = 1024 * 1024;

    private final EmbeddedKafka kafka;
    private final ObjectMapper json = new ObjectMapper();
    private RunningCollector collector;
    private TestRequests client;

    OtlpHttpBadInputTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @BeforeEach
    void start() throws Exception {
        collector = CollectorMain.start(TestConfigs.collector(kafka.bootstrapServers(), NinesInfra.uniqueName("spans")));
        client = new TestRequests(collector.otlpHttpPort());
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void answersMalformedProtobufWith400AndADecodableStatus() throws Exception {
        // field 1, length-delimited, announcing far more bytes than follow
        byte[] garbage = {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 1, 2, 3};

        HttpResponse<byte[]> response = client.post("/v1/traces", PROTOBUF, garbage);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        assertThat(Status.parseFrom(response.body()).getMessage()).startsWith("not a valid ExportTraceServiceRequest");
        assertStillAccepts();
    }

    @Test
    void answersBrokenGzipWith400() throws Exception {
        HttpResponse<byte[]> response = client.post("/v1/traces", PROTOBUF, "not gzip".getBytes(),
                "Content-Encoding", "gzip");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Status.parseFrom(response.body()).getMessage()).startsWith("unreadable request body");
        assertStillAccepts();
    }

    @Test
    void answersAnUnknownContentTypeWith415ProblemJson() throws Exception {
        HttpResponse<byte[]> response = client.post("/v1/traces", "text/plain", "hello".getBytes());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(415);
        assertThat(problem.get("title").asText()).isEqualTo("Unsupported Media Type");
        assertThat(problem.get("detail").asText())
                .isEqualTo("Content-Type must be application/x-protobuf or application/json but was 'text/plain'");
        assertStillAccepts();
    }

    @Test
    void answersAnUnknownContentEncodingWith415() throws Exception {
        HttpResponse<byte[]> response = client.post("/v1/traces", PROTOBUF, new byte[0], "Content-Encoding", "br");

        assertThat(response.statusCode()).isEqualTo(415);
        assertStillAccepts();
    }

    @Test
    void stopsAGzipBombAtTheLimitWith413Quickly() throws Exception {
        byte[] bomb = gzippedZeros(100);
        long started = System.nanoTime();

        HttpResponse<byte[]> response = client.post("/v1/traces", PROTOBUF, bomb, "Content-Encoding", "gzip");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Status.parseFrom(response.body()).getMessage())
                .isEqualTo("request body exceeds 20971520 bytes after decompression");
        assertStillAccepts();
    }

    @Test
    void answersA30MiBBodyWith413() throws Exception {
        HttpResponse<byte[]> response = client.post("/v1/traces", PROTOBUF, new byte[30 * MIB]);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Status.parseFrom(response.body()).getMessage())
                .isEqualTo("request body exceeds 20971520 bytes after decompression");
        assertStillAccepts();
    }

    @Test
    void answersGetWith405AndAllow() throws Exception {
        HttpResponse<String> response = client.get("/v1/traces");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(response.body()).get("status").asInt()).isEqualTo(405);
        assertStillAccepts();
    }

    @Test
    void answersAnUnknownPathWith404() throws Exception {
        HttpResponse<byte[]> response = client.post("/v1/nothing", PROTOBUF, new byte[0]);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(response.body()).get("instance").asText()).isEqualTo("/v1/nothing");
        assertStillAccepts();
    }

    @Test
    void answersASpanLargerThanKafkaTakesWith413() throws Exception {
        ExportTraceServiceRequest request = TestRequests.oneSpan("checkout", "x".repeat(1_200_000), 1);

        HttpResponse<byte[]> response = client.postTraces(request);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(Status.parseFrom(response.body()).getMessage())
                .isEqualTo("a span is larger than the collector can store");
        assertStillAccepts();
    }

    @Test
    void acceptsAnEmptyRequestWithAnEmptyResponse() throws Exception {
        HttpResponse<byte[]> response = client.post("/v1/traces", PROTOBUF, new byte[0]);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void countsRefusalsByReason() throws Exception {
        client.post("/v1/traces", PROTOBUF, new byte[] {0x0A, 0x05});
        client.post("/v1/traces", "text/plain", new byte[0]);
        client.post("/v1/traces", "text/plain", new byte[0]);
        client.get("/v1/traces");

        String metrics = new TestRequests(collector.metricsPort()).get("/metrics").body();

        assertThat(metrics)
                .contains("nines_collector_requests_total{outcome=\"refused\",reason=\"malformed\",signal=\"traces\","
                        + "transport=\"http\"} 1.0")
                .contains("nines_collector_requests_total{outcome=\"refused\",reason=\"unsupported_media_type\","
                        + "signal=\"traces\",transport=\"http\"} 2.0")
                .contains("nines_collector_requests_total{outcome=\"refused\",reason=\"method_not_allowed\","
                        + "signal=\"none\",transport=\"http\"} 1.0");
    }

    /** A fresh connection, so a server that closed a misbehaving one is still seen to serve. */
    private void assertStillAccepts() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces"))
                        .header("Content-Type", PROTOBUF)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                TestRequests.oneSpan("checkout", "POST /checkout", 10).toByteArray()))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private static byte[] gzippedZeros(int mib) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[MIB];
            for (int i = 0; i < mib; i++) {
                gzip.write(zeros);
            }
        }
        return out.toByteArray();
    }
}
