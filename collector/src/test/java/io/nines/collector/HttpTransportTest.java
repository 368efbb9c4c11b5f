package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.nines.infra.testing.EmbeddedKafka;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** OTLP/HTTP over cleartext HTTP/2, with chunked bodies, and zstd; the readiness probe follows Kafka. */
class HttpTransportTest extends WithRunningCollector {

    private static final String PROTOBUF = "application/x-protobuf";

    HttpTransportTest(EmbeddedKafka kafka) {
        super(kafka, "transport");
    }

    @Test
    void acceptsHttp2WithPriorKnowledge() throws Exception {
        OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE)).build();
        Request request = new Request.Builder().url("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces")
                .post(RequestBody.create(Spans.request("checkout", 1, 30).toByteArray(), MediaType.get(PROTOBUF)))
                .build();

        try (Response response = client.newCall(request).execute()) {
            assertThat(response.protocol()).isEqualTo(Protocol.H2_PRIOR_KNOWLEDGE);
            assertThat(response.code()).isEqualTo(200);
            assertThat(ExportTraceServiceResponse.parseFrom(response.body().bytes()))
                    .isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
        } finally {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
        assertThat(spanIdsInKafka(1)).containsExactlyInAnyOrderElementsOf(Spans.range(1, 30));
    }

    @Test
    void acceptsAChunkedBodyAndAZstdBody() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] chunked = Spans.request("checkout", 1, 400).toByteArray();
        byte[] zstd = Zstd.compress(Spans.request("checkout", 1000, 50).toByteArray());

        HttpResponse<byte[]> first = http.send(HttpRequest.newBuilder(uri()).header("Content-Type", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> second = http.send(HttpRequest.newBuilder(uri()).header("Content-Type", PROTOBUF)
                .header("Content-Encoding", "zstd").POST(HttpRequest.BodyPublishers.ofByteArray(zstd)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        List<Long> ids = spanIdsInKafka(2);
        assertThat(ids).hasSize(450).doesNotHaveDuplicates();
        assertThat(ids).containsAll(Spans.range(1, 400)).containsAll(Spans.range(1000, 50));
    }

    @Test
    void isReadyWhileKafkaAnswers() throws Exception {
        TestRequests admin = new TestRequests(collector.metricsPort());

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.get("/ready").statusCode() == 200);
        assertThat(admin.get("/ready").body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(admin.get("/health").statusCode()).isEqualTo(200);
        assertThat(admin.get("/metrics").body()).contains("nines_collector_kafka_up 1.0");
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces");
    }

    private List<Long> spanIdsInKafka(int records) {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            reader.awaitAtLeast(records);
            List<ConsumerRecord<String, byte[]>> all = reader.drain(Duration.ofMillis(300));
            assertThat(all).hasSize(records);
            return Spans.spanIds(all);
        }
    }
}
