package io.nines.streaming;

import static io.nines.streaming.testing.OtlpSpans.attribute;
import static io.nines.streaming.testing.OtlpSpans.failed;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.OtlpSpans.span;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.nines.core.latency.LatencyHistogram;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.metrics.Counter;
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
 * The job end to end on real parts: OTLP records in a Kafka broker, the job in a Flink MiniCluster, rows in
 * our ClickHouse server, read back as the query API will (FINAL, sumMap of buckets).
 */
@ExtendWith(NinesInfra.class)
class SpansToLatencyMinuteTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final Instant M0 = Instant.parse("2026-11-29T09:00:00Z");
    private static final Map<String, List<String>> OPERATIONS = Map.of(
            "checkout", List.of("POST /checkout", "GET /status"),
            "cart", List.of("GET /cart", "POST /cart/items"));
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};

    /** Expected count and errors per "service|operation|minute", and exact durations per service. */
    private final Map<String, long[]> expected = new TreeMap<>();
    private final Map<String, List<Double>> durations = new HashMap<>();

    @Test
    void writesExactCountsErrorsAndQuantilesPerOperationAndMinuteIncludingLateSpans(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints)
                .options("--checkpoint-interval=1s", "--allowed-lateness=1m", "--early-firing=1s")
                .load();
        JobClient job = TestJobs.start(config, StreamingMain.JOB_NAME);
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            for (int minute = 0; minute < 3; minute++) {
                produceMinute(producer, config.spansTopic(), minute, 0);
            }
            producer.send(new ProducerRecord<>(config.spansTopic(), "checkout",
                    "{\"not\": \"protobuf\"}".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            awaitExpectedRows(connection);

            // The watermark is now near the end of minute 2: minute 0 is past its 1-minute lateness, minute 1
            // is late but still open. The too-late span goes first, so once the late one shows, both were seen.
            Instant tooLate = M0.plusSeconds(30);
            producer.send(new ProducerRecord<>(config.spansTopic(), "cart", record("cart",
                    List.of(server("GET /cart", tooLate, 999_000)))));
            Instant late = M0.plusSeconds(60 + 30);
            producer.send(new ProducerRecord<>(config.spansTopic(), "cart", record("cart",
                    List.of(failed(server("GET /cart", late, 4_321))))));
            producer.flush();
            count("cart", "GET /cart", 1, 4_321, true);
            awaitExpectedRows(connection);

            Map<String, LatencyHistogram> histograms = histogramsPerService(connection);
            assertThat(histograms).containsOnlyKeys("checkout", "cart");
            histograms.forEach((service, histogram) -> {
                List<Double> sorted = durations.get(service).stream().sorted().toList();
                assertThat(histogram.count()).isEqualTo(sorted.size());
                for (double q : QUANTILES) {
                    double exact = sorted.get((int) Math.floor(q * (sorted.size() - 1)));
                    assertThat(histogram.quantile(q)).as("%s p%s", service, q * 100)
                            .isCloseTo(exact, within(exact * 0.01));
                }
            });
            long entrySpans = durations.values().stream().mapToLong(List::size).sum() + 1;
            assertThat(counter(job, "entrySpans")).isEqualTo(entrySpans);
            assertThat(counter(job, "ignoredSpans")).as("CLIENT spans").isEqualTo(entrySpans - 2);
            assertThat(counter(job, "undecodableRecords")).isEqualTo(1);
            assertThat(counter(job, "invalidSpans")).isZero();
            assertThat(counter(job, "lateSpans")).isEqualTo(1);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void resumesFromTheLatestRetainedCheckpointAfterARestartWithoutCountingTwice(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints)
                .options("--checkpoint-interval=1s", "--allowed-lateness=1m", "--early-firing=1s")
                .load();
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            JobClient first = TestJobs.start(config, StreamingMain.JOB_NAME);
            try {
                produceMinute(producer, config.spansTopic(), 0, 0);
                produceMinute(producer, config.spansTopic(), 1, 0);
                producer.flush();
                awaitExpectedRows(connection);
                FileTime rowsSeen = FileTime.from(Instant.now());
                await().atMost(Duration.ofSeconds(30)).until(() -> RetainedCheckpoints.latest(config.checkpointDir())
                        .filter(checkpoint -> modified(checkpoint).compareTo(rowsSeen) > 0).isPresent());
            } finally {
                first.cancel().get();
            }

            // Minute 1 is still open in the checkpointed state; starting without it would write a smaller
            // minute 1 than the one already stored, and replaying without its offsets would count twice.
            assertThat(StreamingMain.flinkConfiguration(config).get(StateRecoveryOptions.SAVEPOINT_PATH))
                    .isEqualTo(RetainedCheckpoints.latest(config.checkpointDir()).orElseThrow().toUri().toString());
            JobClient second = TestJobs.start(config, StreamingMain.JOB_NAME);
            try {
                produceMinute(producer, config.spansTopic(), 1, 1);
                produceMinute(producer, config.spansTopic(), 2, 0);
                producer.flush();
                awaitExpectedRows(connection);
            } finally {
                second.cancel().get();
            }
        }
    }

    private void produceMinute(KafkaProducer<String, byte[]> producer, String topic, int minute, int batch) {
        for (String service : List.of("checkout", "cart")) {
            producer.send(new ProducerRecord<>(topic, service, record(service, spans(service, minute, batch))));
        }
    }

    private void awaitExpectedRows(Connection connection) {
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(minuteRows(connection)).containsExactlyElementsOf(expectedRows()));
    }

    private static FileTime modified(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One record of a service's spans in a minute: per operation a known number of entry spans (every
     * fourth failed, by status or HTTP 500) and as many CLIENT spans, which must not count.
     */
    private List<Span.Builder> spans(String service, int minute, int batch) {
        SplittableRandom random = new SplittableRandom(service.hashCode() * 31L + minute * 7L + batch);
        List<Span.Builder> spans = new ArrayList<>();
        List<String> operations = OPERATIONS.get(service);
        for (int op = 0; op < operations.size(); op++) {
            String operation = operations.get(op);
            int n = 40 + 11 * minute + 7 * op + 5 * batch;
            for (int i = 0; i < n; i++) {
                Instant end = M0.plusSeconds(60L * minute).plusMillis(1_000 + i * 50_000L / n);
                long micros = (long) (Math.exp(random.nextDouble(0, 9)) * 1_000);
                boolean error = i % 4 == 3;
                Span.Builder span = server(operation, end, micros);
                if (error) {
                    span = i % 8 == 3 ? failed(span) : span.addAttributes(attribute("http.response.status_code", 500));
                }
                spans.add(span);
                spans.add(span(operation, Span.SpanKind.SPAN_KIND_CLIENT, end, micros * 2));
                count(service, operation, minute, micros, error);
            }
        }
        return spans;
    }

    private void count(String service, String operation, int minute, long micros, boolean error) {
        long[] row = expected.computeIfAbsent(service + "|" + operation + "|" + minute, key -> new long[2]);
        row[0]++;
        row[1] += error ? 1 : 0;
        durations.computeIfAbsent(service, key -> new ArrayList<>()).add(micros / 1000.0);
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

    private static List<String> minuteRows(Connection connection) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT service, operation, toUnixTimestamp(minute), count,"
                     + " errors FROM latency_minute FINAL")) {
            while (result.next()) {
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getLong(3) + "|"
                        + result.getLong(4) + "|" + result.getLong(5));
            }
        }
        return rows.stream().sorted().toList();
    }

    private static Map<String, LatencyHistogram> histogramsPerService(Connection connection) throws Exception {
        Map<String, LatencyHistogram> histograms = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(
                     "SELECT service, sumMap(buckets) FROM latency_minute FINAL GROUP BY service")) {
            while (result.next()) {
                Map<?, ?> buckets = (Map<?, ?>) result.getObject(2);
                Map<Integer, Long> typed = new TreeMap<>();
                buckets.forEach((bucket, count) ->
                        typed.put(((Number) bucket).intValue(), ((Number) count).longValue()));
                histograms.put(result.getString(1), LatencyHistogram.fromBuckets(typed));
            }
        }
        return histograms;
    }

    private static long counter(JobClient job, String name) {
        return METRICS.findMetrics(job.getJobID(), ".*\\." + name).values().stream()
                .mapToLong(metric -> ((Counter) metric).getCount()).sum();
    }
}
