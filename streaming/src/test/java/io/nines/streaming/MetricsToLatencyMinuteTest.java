package io.nines.streaming;

import static io.nines.core.latency.LatencyHistogram.bucketOf;
import static io.nines.streaming.testing.ClickHouseRows.cells;
import static io.nines.streaming.testing.OtlpMetrics.explicitSeconds;
import static io.nines.streaming.testing.OtlpMetrics.exponentialMillis;
import static io.nines.streaming.testing.OtlpMetrics.record;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP latency histograms end to end: metric records in Kafka, as the OTel Collector's kafka exporter writes
 * them, become per-minute rows of {@code metric_latency_minute} (cumulative series turned into deltas), and
 * never rows of {@code latency_minute}, which counts spans.
 */
@ExtendWith(NinesInfra.class)
class MetricsToLatencyMinuteTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension();

    private static final Instant M0 = Instant.parse("2026-11-29T06:00:00Z");
    private static final AggregationTemporality CUMULATIVE = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    private static final AggregationTemporality DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;

    @Test
    void writesHistogramMetricsPerOperationAndMinuteApartFromSpans(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints).withMetricsTopic()
                .options("--slo-topic=" + NinesInfra.uniqueName("slo_definitions"), "--checkpoint-interval=1s",
                        "--early-firing=500ms")
                .load();
        String metricsTopic = config.metricsTopic();
        JobClient job = TestJobs.start(config, "metrics");
        List<Double> bounds = List.of(0.01, 0.1);
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            // cart: a cumulative series that just started (counted whole), then its increase a minute later;
            // a second series of the same operation with 5xx responses; pay: one delta exponential point.
            send(producer, metricsTopic, record("cart",
                    explicitSeconds(CUMULATIVE, M0, M0.plusSeconds(10), bounds, List.of(2L, 3L, 1L), 0.6, 200),
                    explicitSeconds(CUMULATIVE, M0, M0.plusSeconds(20), bounds, List.of(0L, 0L, 1L), 0.2, 503)));
            send(producer, metricsTopic, record("pay",
                    exponentialMillis(DELTA, M0, M0.plusSeconds(30), 1, 10, List.of(4L, 0L, 2L), 1, 321.0)));
            send(producer, metricsTopic, record("cart",
                    explicitSeconds(CUMULATIVE, M0, M0.plusSeconds(70), bounds, List.of(4L, 3L, 2L), 0.9, 200)));
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows(connection)).containsExactly(
                    List.of("cart", "GET /cart", "http.server.request.duration", "2026-11-29 06:00:00", "7", "1",
                            buckets(Map.of(bucketOf(5.0), 2L, bucketOf(Math.sqrt(1000.0)), 3L, bucketOf(100.0), 2L))),
                    List.of("cart", "GET /cart", "http.server.request.duration", "2026-11-29 06:01:00", "3", "0",
                            buckets(Map.of(bucketOf(5.0), 2L, bucketOf(100.0), 1L))),
                    List.of("pay", "POST /pay", "http.server.duration", "2026-11-29 06:00:00", "7", "0",
                            buckets(Map.of(Integer.MIN_VALUE, 1L, bucketOf(Math.pow(2, 5.25)), 4L,
                                    bucketOf(Math.pow(2, 6.25)), 2L)))));
            try (Statement statement = connection.createStatement();
                 ResultSet spans = statement.executeQuery("SELECT count() FROM latency_minute")) {
                spans.next();
                assertThat(spans.getLong(1)).as("metrics never count as spans").isZero();
            }
        } finally {
            job.cancel().get();
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, byte[] record) {
        producer.send(new ProducerRecord<>(topic, record));
    }

    private static List<List<String>> rows(Connection connection) throws Exception {
        return cells(connection, "SELECT service, operation, metric, toString(minute), count, errors,"
                + " toString(buckets) FROM metric_latency_minute FINAL ORDER BY service, minute");
    }

    private static String buckets(Map<Integer, Long> buckets) {
        StringBuilder text = new StringBuilder("{");
        new TreeMap<>(buckets).forEach((bucket, count) ->
                text.append(text.length() > 1 ? "," : "").append(bucket).append(':').append(count));
        return text.append('}').toString();
    }
}
