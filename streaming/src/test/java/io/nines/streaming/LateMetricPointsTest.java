package io.nines.streaming;

import static io.nines.core.latency.LatencyHistogram.bucketOf;
import static io.nines.streaming.testing.ClickHouseRows.cells;
import static io.nines.streaming.testing.OtlpMetrics.explicitSeconds;
import static io.nines.streaming.testing.OtlpMetrics.record;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A histogram point later than the allowed lateness, end to end: counted in {@code lateHistogramPoints}, kept in
 * {@code late_metric_points} with its reason, and not added to the closed minute of {@code metric_latency_minute}.
 */
@ExtendWith(NinesInfra.class)
class LateMetricPointsTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final Instant M0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final AggregationTemporality DELTA = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    private static final List<Double> BOUNDS = List.of(0.01, 0.1);

    @Test
    void countsAndKeepsPointsAfterTheAllowedLatenessWithoutAddingThemToTheirMinute(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints).withMetricsTopic()
                .options("--slo-topic=" + NinesInfra.uniqueName("slo_definitions"), "--checkpoint-interval=1s",
                        "--allowed-lateness=1m", "--early-firing=500ms")
                .load();
        String topic = config.metricsTopic();
        JobClient job = TestJobs.start(config, "late-metrics");
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            send(producer, topic, delta(10, List.of(2L, 3L, 1L), 0.2));
            // Moves the watermark past minute 0's end + 1 minute of lateness, so minute 0 is closed for good.
            send(producer, topic, delta(200, List.of(1L, 0L, 0L), 0.005));
            producer.flush();
            long minuteZeroClosed = M0.plusSeconds(120).toEpochMilli();
            await().atMost(Duration.ofSeconds(60)).until(() -> eventTimeWatermark(job) >= minuteZeroClosed);

            send(producer, topic, delta(30, List.of(1L, 0L, 0L), 0.004));
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cells(connection,
                    "SELECT service, operation, metric, toString(start_time), toString(time), toString(minute),"
                            + " error, count, sum_ms, toString(buckets), reason FROM late_metric_points FINAL"))
                    .containsExactly(List.of("cart", "GET /cart", "http.server.request.duration",
                            "2026-11-29 08:00:20.000", "2026-11-29 08:00:30.000", "2026-11-29 08:00:00", "false",
                            "1", "4.0", "{" + bucketOf(5.0) + ":1}", "late")));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cells(connection,
                    "SELECT toString(minute), count FROM metric_latency_minute FINAL ORDER BY minute"))
                    .containsExactly(List.of("2026-11-29 08:00:00", "6"), List.of("2026-11-29 08:03:00", "1")));
            assertThat(counter(job, "lateHistogramPoints")).isEqualTo(1);
        } finally {
            job.cancel().get();
        }
    }

    /** A delta point of GET /cart covering the 10 seconds up to {@code M0 + seconds}. */
    private static Metric delta(int seconds, List<Long> counts, double sumSeconds) {
        return explicitSeconds(DELTA, M0.plusSeconds(seconds - 10), M0.plusSeconds(seconds), BOUNDS, counts,
                sumSeconds, 200);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, Metric metric) {
        producer.send(new ProducerRecord<>(topic, record("cart", metric)));
    }

    /** The watermark sent towards the minute windows; a point produced after it was seen reaches them after it. */
    private static long eventTimeWatermark(JobClient job) {
        return METRICS.findOperatorMetricGroups(job.getJobID(), "point time").stream()
                .map(group -> METRICS.getMetricsByGroup(group).get("currentOutputWatermark"))
                .filter(Gauge.class::isInstance)
                .mapToLong(gauge -> ((Number) ((Gauge<?>) gauge).getValue()).longValue())
                .max().orElse(Long.MIN_VALUE);
    }

    private static long counter(JobClient job, String name) {
        return METRICS.findMetrics(job.getJobID(), ".*\\." + name).values().stream()
                .mapToLong(metric -> ((Counter) metric).getCount()).sum();
    }
}
