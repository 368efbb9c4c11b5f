package io.nines.streaming;

import static io.nines.streaming.testing.ClickHouseRows.single;
import static io.nines.streaming.testing.OtlpSpans.failed;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.SloDocuments.availability;
import static io.nines.streaming.testing.TestProducers.idempotentProducer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.core.latency.LatencyHistogram;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.testing.SloDocuments;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
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
 * Exactly-once effect, proven on real parts: a task fails in the middle of the stream, Flink restores the job
 * from its last checkpoint and replays from Kafka, and ClickHouse still holds every span exactly once, in
 * {@code latency_minute} and in an availability SLO's good and total events in {@code slo_minute}.
 */
@ExtendWith(NinesInfra.class)
class ExactlyOnceAfterFailureTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final Instant M0 = Instant.parse("2026-11-29T08:00:00Z");
    private static final List<String> SERVICES = List.of("checkout", "cart", "search", "auth");
    private static final List<String> OPERATIONS = List.of("GET /", "POST /items", "DELETE /items");
    private static final int MINUTES = 8;
    private static final int SPANS_PER_RECORD = 50;
    /** Records per service and minute: 4 services x 8 minutes x 25 records x 50 spans = 40,000 + 10,000 below. */
    private static final int RECORDS_PER_SERVICE_MINUTE = 25;
    private static final int EXTRA_MINUTE_RECORDS = 200;
    private static final String SLO = "checkout-availability";
    /** A service of its own whose SLO shows when the job has seen the definitions; left out of every count. */
    private static final String PROBE = "probe";
    private static final String REAL_SPANS = " WHERE service != '" + PROBE + "'";

    /** Expected count and errors per "service|operation|minute", and the exact histogram per service. */
    private final Map<String, long[]> expected = new TreeMap<>();
    private final Map<String, LatencyHistogram> histograms = new HashMap<>();
    /** Expected good and total of {@link #SLO} per minute (epoch seconds). */
    private final Map<Long, long[]> sloExpected = new TreeMap<>();
    private long spansSent;

    @Test
    void countsEverySpanExactlyOnceAcrossATaskFailureAndRecoveryFromTheLastCheckpoint(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints).withSloTopic().spanPartitions(2)
                .options("--checkpoint-interval=500ms", "--early-firing=500ms")
                .load();
        List<ProducerRecord<String, byte[]>> firstHalf = records(config.spansTopic(), 0, MINUTES / 2);
        List<ProducerRecord<String, byte[]>> secondHalf = records(config.spansTopic(), MINUTES / 2, MINUTES);
        secondHalf.addAll(extraMinute(config.spansTopic()));
        assertThat(spansSent).isEqualTo(50_000);
        // Fails in the middle of the second half, after the first half was checkpointed and written. The probes
        // pass the failing operator too: at most 120 (one per 500 ms for 60 s), fewer than half the second half.
        long failAfter = firstHalf.size() + secondHalf.size() / 2;

        try (KafkaProducer<String, byte[]> producer = idempotentProducer(kafka);
             Connection connection = config.clickHouse().connect()) {
            // Keeps every physical row, so the test can show that re-emitted and replayed rows exist and collapse.
            clickHouse.execute("SYSTEM STOP MERGES " + config.clickHouse().database() + ".latency_minute");
            define(producer, config, SLO, availability(SLO, "checkout", "", ""));
            define(producer, config, PROBE + "-availability", availability(PROBE + "-availability", PROBE, "", ""));
            producer.flush();
            JobClient job = start(config, failAfter);
            try {
                // Definitions and spans are separate streams, read in order from one partition: once the probe's
                // SLO counts, the checkout SLO defined before it is live too. Probes end a minute before M0.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    producer.send(new ProducerRecord<>(config.spansTopic(), PROBE,
                            record(PROBE, List.of(server("GET /", M0.minusSeconds(30), 1_000)))));
                    producer.flush();
                    return single(connection, "SELECT count() FROM slo_minute WHERE slo = '" + PROBE
                            + "-availability'") > 0;
                });
                firstHalf.forEach(producer::send);
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).until(() -> loggedSpans(connection) == spansIn(0, MINUTES / 2));
                FileTime firstHalfWritten = FileTime.from(Instant.now());
                await().atMost(Duration.ofSeconds(30)).until(() -> RetainedCheckpoints.latest(config.checkpointDir())
                        .filter(checkpoint -> modified(checkpoint).compareTo(firstHalfWritten) > 0).isPresent());

                secondHalf.forEach(producer::send);
                producer.flush();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                        assertThat(minuteRows(connection)).containsExactlyElementsOf(expectedRows()));

                assertThat(jobGauge(job, "numRestarts")).as("restarts").isEqualTo(1L);
                assertThat(jobGauge(job, "lastCheckpointRestoreTimestamp")).as("restored from a checkpoint")
                        .isPositive();
                assertThat(loggedSpans(connection)).isEqualTo(50_000);
                assertThat(histogramsPerService(connection)).isEqualTo(expectedBuckets());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(sloRows(connection)).containsExactlyElementsOf(expectedSloRows()));
                assertThat(single(connection, "SELECT sum(total) FROM slo_minute FINAL WHERE slo = '" + SLO + "'"))
                        .isEqualTo(spansOf("checkout"));
                long physicalSpans = single(connection, "SELECT sum(count) FROM latency_minute" + REAL_SPANS);
                assertThat(physicalSpans).as("re-emitted and replayed rows are stored, and FINAL collapses them")
                        .isGreaterThan(50_000);
                assertThat(single(connection, "SELECT count() FROM late_events")).isZero();
            } finally {
                job.cancel().get();
            }
        }
    }

    /** The job as {@link StreamingMain} wires it, with a failure injected between the source and the decoder. */
    private static JobClient start(StreamingConfig config, long failAfter) throws Exception {
        Configuration flink = StreamingMain.flinkConfiguration(config);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        var env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        StreamingMain.wire(config, StreamingMain.spanRecords(env, config)
                .map(new FailOnceAfter(failAfter)).name("fail once").uid("fail-once"));
        return env.executeAsync(StreamingMain.JOB_NAME);
    }

    /** Records of every service for minutes [from, to): 25 records of 50 entry spans per service and minute. */
    private List<ProducerRecord<String, byte[]>> records(String topic, int from, int to) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int minute = from; minute < to; minute++) {
            for (int r = 0; r < RECORDS_PER_SERVICE_MINUTE; r++) {
                for (String service : SERVICES) {
                    records.add(new ProducerRecord<>(topic, service, record(service, spans(service, minute, r))));
                }
            }
        }
        return records;
    }

    /** 10,000 more spans of one service in the last minute, so the totals come to a round 50,000. */
    private List<ProducerRecord<String, byte[]>> extraMinute(String topic) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int r = 0; r < EXTRA_MINUTE_RECORDS; r++) {
            records.add(new ProducerRecord<>(topic, "checkout",
                    record("checkout", spans("checkout", MINUTES - 1, RECORDS_PER_SERVICE_MINUTE + r))));
        }
        return records;
    }

    private List<Span.Builder> spans(String service, int minute, int r) {
        SplittableRandom random = new SplittableRandom(service.hashCode() * 1_000_003L + minute * 1_009L + r);
        List<Span.Builder> spans = new ArrayList<>(SPANS_PER_RECORD);
        for (int i = 0; i < SPANS_PER_RECORD; i++) {
            String operation = OPERATIONS.get(random.nextInt(OPERATIONS.size()));
            Instant end = M0.plusSeconds(60L * minute).plusMillis(random.nextInt(60_000));
            long micros = (long) (Math.exp(random.nextGaussian() + 3.9) * 1_000);
            boolean error = random.nextInt(20) == 0;
            spans.add(error ? failed(server(operation, end, micros)) : server(operation, end, micros));
            long[] row = expected.computeIfAbsent(service + "|" + operation + "|" + minute, key -> new long[2]);
            row[0]++;
            row[1] += error ? 1 : 0;
            histograms.computeIfAbsent(service, key -> new LatencyHistogram()).record(micros / 1000.0);
            if (service.equals("checkout")) {
                long[] slo = sloExpected.computeIfAbsent(M0.getEpochSecond() + 60L * minute, key -> new long[2]);
                slo[0] += error ? 0 : 1;
                slo[1]++;
            }
            spansSent++;
        }
        return spans;
    }

    private long spansIn(int fromMinute, int toMinute) {
        return expected.entrySet().stream()
                .filter(e -> {
                    int minute = Integer.parseInt(e.getKey().substring(e.getKey().lastIndexOf('|') + 1));
                    return minute >= fromMinute && minute < toMinute;
                })
                .mapToLong(e -> e.getValue()[0]).sum();
    }

    private List<String> expectedRows() {
        List<String> rows = new ArrayList<>();
        expected.forEach((key, row) -> {
            String[] parts = key.split("\\|");
            long minute = M0.getEpochSecond() + 60L * Integer.parseInt(parts[2]);
            rows.add(parts[0] + "|" + parts[1] + "|" + minute + "|" + row[0] + "|" + row[1]);
        });
        return rows.stream().sorted().toList();
    }

    private List<String> expectedSloRows() {
        List<String> rows = new ArrayList<>();
        sloExpected.forEach((minute, row) -> rows.add(minute + "|" + row[0] + "|" + row[1]));
        return rows;
    }

    private long spansOf(String service) {
        return expected.entrySet().stream().filter(e -> e.getKey().startsWith(service + "|"))
                .mapToLong(e -> e.getValue()[0]).sum();
    }

    private static List<String> sloRows(Connection connection) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT toUnixTimestamp(minute), good, total FROM slo_minute"
                     + " FINAL WHERE slo = '" + SLO + "' AND group_value = '' ORDER BY minute")) {
            while (result.next()) {
                rows.add(result.getLong(1) + "|" + result.getLong(2) + "|" + result.getLong(3));
            }
        }
        return rows;
    }

    private static void define(KafkaProducer<String, byte[]> producer, StreamingConfig config, String name,
                               String document) {
        producer.send(new ProducerRecord<>(config.sloTopic(), name, SloDocuments.record(name, 1, document)));
    }

    private Map<String, Map<Integer, Long>> expectedBuckets() {
        Map<String, Map<Integer, Long>> buckets = new TreeMap<>();
        histograms.forEach((service, histogram) -> buckets.put(service, histogram.buckets()));
        return buckets;
    }

    private static long loggedSpans(Connection connection) throws Exception {
        return single(connection, "SELECT sum(count) FROM latency_minute FINAL" + REAL_SPANS);
    }

    private static List<String> minuteRows(Connection connection) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT service, operation, toUnixTimestamp(minute), count,"
                     + " errors FROM latency_minute FINAL" + REAL_SPANS)) {
            while (result.next()) {
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getLong(3) + "|"
                        + result.getLong(4) + "|" + result.getLong(5));
            }
        }
        return rows.stream().sorted().toList();
    }

    private static Map<String, Map<Integer, Long>> histogramsPerService(Connection connection) throws Exception {
        Map<String, Map<Integer, Long>> histograms = new TreeMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT service, sumMap(buckets) FROM latency_minute FINAL" + REAL_SPANS + " GROUP BY service")) {
            while (result.next()) {
                Map<Integer, Long> typed = new TreeMap<>();
                ((Map<?, ?>) result.getObject(2)).forEach((bucket, count) ->
                        typed.put(((Number) bucket).intValue(), ((Number) count).longValue()));
                histograms.put(result.getString(1), typed);
            }
        }
        return histograms;
    }

    private static long jobGauge(JobClient job, String name) {
        return METRICS.findMetrics(job.getJobID(), ".*\\." + name).values().stream()
                .mapToLong(metric -> ((Number) ((Gauge<?>) metric).getValue()).longValue())
                .max().orElseThrow(() -> new AssertionError("no job metric " + name));
    }

    private static FileTime modified(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
