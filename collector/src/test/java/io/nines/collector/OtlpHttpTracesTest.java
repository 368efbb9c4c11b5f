package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Spans from the OpenTelemetry SDK's own OTLP/HTTP exporter, through the collector, into Kafka. */
@ExtendWith(NinesInfra.class)
class OtlpHttpTracesTest {


    private final EmbeddedKafka kafka;
    private final String topic = NinesInfra.uniqueName("spans");
    private RunningCollector collector;

    OtlpHttpTracesTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @BeforeEach
    void start() throws Exception {
        kafka.createTopic(topic, 3);
        collector = CollectorMain.start(TestConfigs.collector(kafka.bootstrapServers(), topic));
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void writesOneKeyedRecordPerServiceWithEverySpanAndItsExactDuration() throws Exception {
        List<SpanData> spans = new ArrayList<>();
        spans.addAll(SdkData.finishedSpans("checkout", "POST /checkout", 120, 250, 600));
        spans.addAll(SdkData.finishedSpans("payments", "POST /charge", 80, 95));

        assertThat(exportGzipped(spans).isSuccess()).isTrue();
        assertThat(exportGzipped(SdkData.finishedSpans("checkout", "POST /checkout", 42)).isSuccess()).isTrue();

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            List<ConsumerRecord<String, byte[]>> records = reader.awaitAtLeast(3);
            assertThat(records).hasSize(3);
            Map<String, List<ConsumerRecord<String, byte[]>>> byService =
                    records.stream().collect(Collectors.groupingBy(ConsumerRecord::key));
            assertThat(byService.keySet()).containsExactlyInAnyOrder("checkout", "payments");

            List<ConsumerRecord<String, byte[]>> checkout = byService.get("checkout");
            assertThat(checkout).hasSize(2);
            assertThat(checkout.get(0).partition()).isEqualTo(checkout.get(1).partition());
            assertThat(checkout.get(0).offset()).isLessThan(checkout.get(1).offset());
            assertThat(durationsMillis(checkout.get(0))).containsExactly(120L, 250L, 600L);
            assertThat(durationsMillis(checkout.get(1))).containsExactly(42L);
            assertThat(durationsMillis(byService.get("payments").get(0))).containsExactly(80L, 95L);
            assertThat(ExportTraceServiceRequest.parseFrom(byService.get("payments").get(0).value())
                    .getResourceSpans(0).getScopeSpans(0).getSpansList())
                    .extracting(span -> span.getName())
                    .containsExactly("POST /charge", "POST /charge");
        }

        String metrics = new TestRequests(collector.metricsPort()).get("/metrics").body();
        assertThat(metrics)
                .contains("nines_collector_spans_total{outcome=\"accepted\",reason=\"none\",transport=\"http\"} 6.0")
                .contains("nines_collector_requests_total{outcome=\"accepted\",reason=\"none\",signal=\"traces\","
                        + "transport=\"http\"} 2.0");
    }

    @Test
    void cutsALargeRequestOfOneServiceIntoRecordsKafkaAccepts() throws Exception {
        long[] millis = new long[3000];
        Arrays.fill(millis, 7);
        List<SpanData> spans = SdkData.finishedSpans("search", "GET /search?" + "q".repeat(1000), millis);

        assertThat(exportGzipped(spans).isSuccess()).isTrue();

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            // about 3.2 MB of spans in records of at most 1 MB
            List<ConsumerRecord<String, byte[]>> records = reader.awaitAtLeast(4);
            assertThat(records).hasSize(4);
            int total = 0;
            for (ConsumerRecord<String, byte[]> record : records) {
                assertThat(record.key()).isEqualTo("search");
                assertThat(record.value().length).isLessThanOrEqualTo(CollectorConfig.DEFAULT_MAX_RECORD_BYTES);
                List<Long> durations = durationsMillis(record);
                assertThat(durations).containsOnly(7L);
                total += durations.size();
            }
            assertThat(total).isEqualTo(3000);
            assertThat(records.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
        }
    }

    @Test
    void answersHealthOnTheMetricsPortAndNothingElse() throws Exception {
        var health = new TestRequests(collector.metricsPort()).get("/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(new TestRequests(collector.metricsPort()).get("/healthz").statusCode()).isEqualTo(404);
        assertThat(new TestRequests(collector.metricsPort()).get("/").statusCode()).isEqualTo(404);
    }

    private CompletableResultCode exportGzipped(Collection<SpanData> spans) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/traces")
                .setCompression("gzip")
                .setTimeout(Duration.ofSeconds(15))
                .build();
        try {
            return exporter.export(spans).join(20, TimeUnit.SECONDS);
        } finally {
            exporter.shutdown().join(5, TimeUnit.SECONDS);
        }
    }

    private static List<Long> durationsMillis(ConsumerRecord<String, byte[]> record) throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(record.value());
        assertThat(request.getResourceSpansCount()).isEqualTo(1);
        return request.getResourceSpans(0).getScopeSpansList().stream()
                .flatMap(scope -> scope.getSpansList().stream())
                .map(span -> (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000L)
                .collect(Collectors.toList());
    }
}
