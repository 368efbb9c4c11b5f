package io.nines.streaming;

import static io.nines.streaming.testing.ClickHouseRows.cells;
import static io.nines.streaming.testing.OtlpSpans.failed;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.trace.v1.Span;
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
 * Spans the minutes cannot count, end to end: one later than the allowed lateness and one from a clock an
 * hour ahead are counted, kept in {@code late_events} with their reason and arrival, and the one from the
 * future does not drag the watermark along (the honest spans after it still count).
 */
@ExtendWith(NinesInfra.class)
class LateAndFutureSpansTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final Instant M0 = Instant.parse("2026-11-29T07:00:00Z");

    @Test
    void countsAndKeepsSpansAfterTheAllowedLatenessAndSpansFromTheFutureWithoutLettingThemMoveTime(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints).withSloTopic()
                .options("--checkpoint-interval=1s", "--allowed-lateness=1m", "--max-clock-skew=10m",
                        "--early-firing=500ms")
                .load();
        String topic = config.spansTopic();
        JobClient job = TestJobs.start(config, StreamingMain.JOB_NAME);
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            Instant arrival = M0.plusSeconds(150);
            send(producer, topic, arrival, server("GET /cart", M0.plusSeconds(10), 10_000),
                    server("GET /cart", M0.plusSeconds(70), 20_000));
            // A client clock an hour ahead. Were it trusted, the watermark would jump an hour and every span
            // below would be later than the allowed lateness.
            send(producer, topic, arrival, failed(server("GET /cart", M0.plusSeconds(3_600 + 75), 30_000)));
            send(producer, topic, arrival.plusSeconds(5), server("GET /cart", M0.plusSeconds(130), 40_000));
            // Moves the watermark past minute 0's end + 1 minute of lateness, so minute 0 is closed for good.
            send(producer, topic, arrival.plusSeconds(60), server("GET /cart", M0.plusSeconds(200), 50_000));
            producer.flush();
            long minuteZeroClosed = M0.plusSeconds(120).toEpochMilli();
            await().atMost(Duration.ofSeconds(60)).until(() -> eventTimeWatermark(job) >= minuteZeroClosed);

            Instant lateArrival = arrival.plusSeconds(90);
            send(producer, topic, lateArrival, server("GET /cart", M0.plusSeconds(30), 60_000));
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cells(connection,
                    "SELECT toString(end_time), duration_ms, error, toString(minute), toString(arrival), reason"
                            + " FROM late_events FINAL ORDER BY end_time"))
                    .containsExactly(
                            List.of("2026-11-29 07:00:30.000", "60.0", "false", "2026-11-29 07:00:00",
                                    "2026-11-29 07:04:00.000", "late"),
                            List.of("2026-11-29 08:01:15.000", "30.0", "true", "2026-11-29 08:01:00",
                                    "2026-11-29 07:02:30.000", "future")));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cells(connection,
                    "SELECT toString(minute), count, errors FROM latency_minute FINAL ORDER BY minute"))
                    .containsExactly(
                            List.of("2026-11-29 07:00:00", "1", "0"),
                            List.of("2026-11-29 07:01:00", "1", "0"),
                            List.of("2026-11-29 07:02:00", "1", "0"),
                            List.of("2026-11-29 07:03:00", "1", "0")));
            assertThat(counter(job, "futureSpans")).isEqualTo(1);
            assertThat(counter(job, "lateSpans")).isEqualTo(1);
        } finally {
            job.cancel().get();
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, Instant arrival,
                             Span.Builder... spans) {
        // The record timestamp is the arrival the job judges future spans by and reports late ones with.
        producer.send(new ProducerRecord<>(topic, null, arrival.toEpochMilli(), "cart",
                record("cart", List.of(spans))));
    }

    /**
     * The watermark sent towards the minute windows. A span produced after it was seen reaches the windows
     * after it too: the channel between them keeps order.
     */
    private static long eventTimeWatermark(JobClient job) {
        return METRICS.findOperatorMetricGroups(job.getJobID(), "span end time").stream()
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
