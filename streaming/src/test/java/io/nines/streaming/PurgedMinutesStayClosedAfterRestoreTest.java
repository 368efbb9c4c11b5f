package io.nines.streaming;

import static io.nines.streaming.testing.ClickHouseRows.cells;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A minute closed before a checkpoint stays closed after the job is restored from it: Flink restores no
 * watermark, and spans of that minute replayed after the restore, more than it counted, would otherwise open it
 * again and replace its row (version = count). They go to {@code late_events} instead.
 */
@ExtendWith(NinesInfra.class)
class PurgedMinutesStayClosedAfterRestoreTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final Instant M0 = Instant.parse("2026-11-29T06:00:00Z");
    private static final Instant ARRIVAL = M0.plusSeconds(600);
    private static final String GUARD = "route spans late after a restore";

    @Test
    void spansOfAMinuteClosedBeforeTheCheckpointGoToLateEventsAfterTheRestoreInsteadOfReopeningIt(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints)
                .options("--checkpoint-interval=500ms", "--allowed-lateness=1m", "--early-firing=500ms")
                .load();
        // Fails on the third record, the one sent after the checkpoint; Flink restores and replays it.
        JobClient job = start(config, 2);
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            send(producer, config.spansTopic(), spans(M0.plusSeconds(10), 3));
            // Moves the watermark past minute 0's end + 1 minute of lateness: minute 0 is closed and purged.
            send(producer, config.spansTopic(), spans(M0.plusSeconds(300), 1));
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(minuteRows(connection))
                    .containsExactly(List.of("2026-11-29 06:00:00", "3"), List.of("2026-11-29 06:05:00", "1")));
            long minuteZeroPurged = M0.plusSeconds(120).toEpochMilli() - 1;
            await().atMost(Duration.ofSeconds(30)).until(() -> guardWatermark(job) >= minuteZeroPurged);
            FileTime purged = FileTime.from(Instant.now());
            await().atMost(Duration.ofSeconds(30)).until(() -> RetainedCheckpoints.latest(config.checkpointDir())
                    .filter(checkpoint -> modified(checkpoint).compareTo(purged) > 0).isPresent());

            // More spans of minute 0 than it holds: after the restore no watermark has been seen yet.
            send(producer, config.spansTopic(), spans(M0.plusSeconds(20), 5));
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(cells(connection,
                    "SELECT toString(minute), duration_ms, reason FROM late_events FINAL ORDER BY duration_ms"))
                    .containsExactly(
                            List.of("2026-11-29 06:00:00", "1.0", "late"),
                            List.of("2026-11-29 06:00:00", "2.0", "late"),
                            List.of("2026-11-29 06:00:00", "3.0", "late"),
                            List.of("2026-11-29 06:00:00", "4.0", "late"),
                            List.of("2026-11-29 06:00:00", "5.0", "late")));
            assertThat(jobGauge(job, "numRestarts")).as("restarts").isEqualTo(1L);
            assertThat(counter(job, GUARD, "lateAfterRestore")).isEqualTo(5);
            assertThat(counter(job, "count late spans", "lateSpans")).isEqualTo(5);
            // A re-opened minute would be emitted within an early firing (500 ms); it must not be, for 2 s.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(minuteRows(connection)).containsExactly(
                            List.of("2026-11-29 06:00:00", "3"), List.of("2026-11-29 06:05:00", "1")));
        } finally {
            job.cancel().get();
        }
    }

    /** The job as {@link StreamingMain} wires it, failing once after {@code records} records. */
    private static JobClient start(StreamingConfig config, long records) throws Exception {
        Configuration flink = StreamingMain.flinkConfiguration(config);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        var env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        StreamingMain.wire(config, StreamingMain.spanRecords(env, config)
                .map(new FailOnceAfter(records)).name("fail once").uid("fail-once"));
        return env.executeAsync(StreamingMain.JOB_NAME);
    }

    /** {@code n} spans ending a second apart from {@code end}, lasting 1, 2, ... ms (so each is its own row). */
    private static List<Span.Builder> spans(Instant end, int n) {
        List<Span.Builder> spans = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            spans.add(server("GET /cart", end.plusSeconds(i), i * 1_000L));
        }
        return spans;
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, List<Span.Builder> spans) {
        producer.send(new ProducerRecord<>(topic, null, ARRIVAL.toEpochMilli(), "cart", record("cart", spans)));
    }

    private static List<List<String>> minuteRows(Connection connection) throws Exception {
        return cells(connection, "SELECT toString(minute), count FROM latency_minute FINAL ORDER BY minute");
    }

    /** The watermark the guard in front of the latency windows has seen. */
    private static long guardWatermark(JobClient job) {
        return METRICS.findOperatorMetricGroups(job.getJobID(), GUARD).stream()
                .map(group -> METRICS.getMetricsByGroup(group).get("currentInputWatermark"))
                .filter(Gauge.class::isInstance)
                .mapToLong(gauge -> ((Number) ((Gauge<?>) gauge).getValue()).longValue())
                .max().orElse(Long.MIN_VALUE);
    }

    private static long jobGauge(JobClient job, String name) {
        return METRICS.findMetrics(job.getJobID(), ".*\\." + name).values().stream()
                .mapToLong(metric -> ((Number) ((Gauge<?>) metric).getValue()).longValue())
                .max().orElseThrow(() -> new AssertionError("no job metric " + name));
    }

    /** Summed over the operator's task attempts: each attempt has its own counters, under the same name. */
    private static long counter(JobClient job, String operator, String name) {
        return METRICS.findOperatorMetricGroups(job.getJobID(), operator).stream()
                .map(group -> METRICS.getMetricsByGroup(group).get(name))
                .filter(Counter.class::isInstance)
                .mapToLong(counter -> ((Counter) counter).getCount()).sum();
    }

    private static FileTime modified(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
