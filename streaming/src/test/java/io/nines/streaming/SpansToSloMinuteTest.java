package io.nines.streaming;

import static io.nines.streaming.testing.ClickHouseRows.rows;
import static io.nines.streaming.testing.OtlpSpans.attribute;
import static io.nines.streaming.testing.OtlpSpans.failed;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.OtlpSpans.span;
import static io.nines.streaming.testing.SloDocuments.availability;
import static io.nines.streaming.testing.SloDocuments.latency;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.testing.SloDocuments;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
 * SLO minutes end to end on real parts: definitions and spans in a Kafka broker, the job in a Flink
 * MiniCluster, {@code slo_minute} and {@code stream_progress} in our ClickHouse server, checked against
 * counts the test keeps itself.
 */
@ExtendWith(NinesInfra.class)
class SpansToSloMinuteTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final Instant M0 = Instant.parse("2026-11-29T09:00:00Z");
    private static final String AVAILABILITY = "checkout-availability";
    private static final String LATENCY = "checkout-latency";
    private static final String CART = "cart-availability";
    private static final long THRESHOLD_NANOS = 287_000_000;
    /** Durations around the threshold on purpose: 287.0 ms is good, 287.000001 ms is not. */
    private static final long[] NANOS = {287_000_000, 287_000_001, 286_999_999, 12_345_678, 950_000_000,
        287_000_000, 3_000_000_000L, 41_000_000, 287_000_002, 199_999_999, 288_000_000};
    private static final String[] ROUTES = {"/checkout", "/status", "/checkout", "/health", null, "/status", "/cart"};

    /** Expected good and total per "slo|group|minute (epoch s)". */
    private final Map<String, long[]> expected = new TreeMap<>();
    /** The availability SLO's groups in the order the job first sees them; the probe's route comes first. */
    private final Set<String> admittedRoutes = new LinkedHashSet<>(List.of("/checkout"));
    private long folded;

    @Test
    void countsGoodAndTotalPerSloGroupAndMinuteExactlyAndStartsANewSloWithinAMinute(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints).withSloTopic()
                .options("--checkpoint-interval=2s", "--allowed-lateness=1m", "--early-firing=1s",
                        "--progress-interval=1s")
                .load();
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            define(producer, config, AVAILABILITY,
                    availability(AVAILABILITY, "checkout", "", "{groupBy: http.route, maxGroups: 2}"));
            define(producer, config, LATENCY,
                    latency(LATENCY, "checkout", "operation: \"POST /checkout\"", "lte", "287", false, ""));
            producer.send(new ProducerRecord<>(config.sloTopic(), "broken", "nope".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
            JobClient job = TestJobs.start(config);
            try {
                // Definitions and spans are separate streams: spans count once the job has seen a definition.
                // A probe a minute before the measured ones shows when both SLOs are live.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    producer.send(new ProducerRecord<>(config.spansTopic(), "checkout", record("checkout", List.of(
                            server("POST /checkout", M0.minusSeconds(30), 1_000)
                                    .addAttributes(attribute("http.route", "/checkout"))))));
                    producer.flush();
                    return rows(connection, "SELECT DISTINCT slo FROM slo_minute").size() == 2;
                });

                for (int minute = 0; minute < 3; minute++) {
                    produceCheckoutMinute(producer, config.spansTopic(), minute);
                    produceCart(producer, config.spansTopic(), M0.plusSeconds(60L * minute), 5, false);
                }
                producer.flush();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                        assertThat(sloMinutes(connection)).containsExactlyElementsOf(expectedRows()));
                // Minutes are final a whole allowed lateness (1m) behind the watermark: until then a late span
                // may still re-emit a minute whose end the watermark has passed.
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(rows(connection, "SELECT toUnixTimestamp64Milli(watermark),"
                                + " toUnixTimestamp64Milli(watermark) - toUnixTimestamp64Milli(final_until)"
                                + " FROM stream_progress FINAL WHERE job = 'nines-streaming'"))
                                .singleElement().satisfies(row -> {
                                    String[] columns = row.split("\\|");
                                    assertThat(Long.parseLong(columns[0]))
                                            .isGreaterThanOrEqualTo(M0.plusSeconds(120).toEpochMilli());
                                    assertThat(Long.parseLong(columns[1])).isEqualTo(60_000);
                                }));

                // A new SLO while spans keep flowing: it counts from when the job sees it, with no backfill of
                // the cart spans it would have selected in minutes 0 to 2.
                Instant m3 = M0.plusSeconds(180);
                define(producer, config, CART, availability(CART, "cart", "", ""));
                producer.flush();
                int[] batches = {0};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    produceCart(producer, config.spansTopic(), m3.plusSeconds(5L * batches[0]++), 3, false);
                    producer.flush();
                    return !rows(connection, "SELECT minute FROM slo_minute WHERE slo = '" + CART + "'").isEmpty();
                });
                assertThat(batches[0]).as("batches of 5 s of event time until the new SLO counted")
                        .isLessThanOrEqualTo(12);
                assertThat(rows(connection, "SELECT DISTINCT toUnixTimestamp(minute) FROM slo_minute WHERE slo = '"
                        + CART + "'")).containsExactly(String.valueOf(m3.getEpochSecond()));

                Instant m4 = m3.plusSeconds(60);
                produceCart(producer, config.spansTopic(), m4, 9, true);
                producer.flush();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows(connection,
                        "SELECT good, total FROM slo_minute FINAL WHERE slo = '" + CART + "' AND minute = "
                                + m4.getEpochSecond())).containsExactly("6|9"));

                assertThat(counter(job, "sloGroupOverflowEvents")).isEqualTo(folded);
                assertThat(counter(job, "sloDefinitions")).isEqualTo(3);
                assertThat(counter(job, "undecodableSloDefinitions")).isEqualTo(1);
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * A minute of checkout spans: routes, durations and failures cycle through fixed lists so the test
     * knows each span's fate; every span has a CLIENT twin, which no SLO may count.
     */
    private void produceCheckoutMinute(KafkaProducer<String, byte[]> producer, String topic, int minute) {
        List<Span.Builder> spans = new ArrayList<>();
        long minuteStart = M0.plusSeconds(60L * minute).getEpochSecond();
        int n = 30 + 7 * minute;
        for (int i = 0; i < n; i++) {
            String route = ROUTES[(i + minute) % ROUTES.length];
            String name = route == null ? "GET /legacy" : route.equals("/checkout") ? "POST /checkout" : "GET " + route;
            long nanos = NANOS[(i * 3 + minute) % NANOS.length];
            Instant end = M0.plusSeconds(60L * minute).plusMillis(1_000 + i * 50_000L / n);
            boolean error = i % 5 == 2 || i % 7 == 3;
            Span.Builder span = server(name, end, 0).setStartTimeUnixNano(nanosOf(end) - nanos);
            if (route != null) {
                span.addAttributes(attribute("http.route", route));
            }
            if (error) {
                span = i % 5 == 2 ? failed(span) : span.addAttributes(attribute("http.response.status_code", 503));
            }
            spans.add(span);
            spans.add(span(name, Span.SpanKind.SPAN_KIND_CLIENT, end, 5));

            count(AVAILABILITY, group(route), minuteStart, !error);
            if (name.equals("POST /checkout")) {
                count(LATENCY, "", minuteStart, nanos <= THRESHOLD_NANOS);
            }
        }
        producer.send(new ProducerRecord<>(topic, "checkout", record("checkout", spans)));
    }

    /** {@code n} cart spans from {@code start}, every third one (from the second) failed when {@code someFail}. */
    private static void produceCart(KafkaProducer<String, byte[]> producer, String topic, Instant start, int n,
                                    boolean someFail) {
        List<Span.Builder> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Span.Builder span = server("GET /cart", start.plusMillis(1_000 + 500L * i), 2_000);
            spans.add(someFail && i % 3 == 1 ? failed(span) : span);
        }
        producer.send(new ProducerRecord<>(topic, "cart", record("cart", spans)));
    }

    /** The cap rule, kept independently: the first two routes seen get groups, later ones share one. */
    private String group(String route) {
        if (route == null) {
            return "__none__";
        }
        if (admittedRoutes.contains(route) || admittedRoutes.size() < 2 && admittedRoutes.add(route)) {
            return route;
        }
        folded++;
        return "__other__";
    }

    private void count(String slo, String group, long minute, boolean good) {
        long[] row = expected.computeIfAbsent(slo + "|" + group + "|" + minute, key -> new long[2]);
        row[0] += good ? 1 : 0;
        row[1]++;
    }

    private List<String> expectedRows() {
        List<String> rows = new ArrayList<>();
        expected.forEach((key, row) -> rows.add(key + "|" + row[0] + "|" + row[1]));
        return rows;
    }

    private static List<String> sloMinutes(Connection connection) throws Exception {
        return rows(connection, "SELECT slo, group_value, toUnixTimestamp(minute), good, total FROM slo_minute FINAL"
                + " WHERE minute >= " + M0.getEpochSecond() + " ORDER BY slo, group_value, minute");
    }

    private static void define(KafkaProducer<String, byte[]> producer, StreamingConfig config, String name,
                               String document) {
        producer.send(new ProducerRecord<>(config.sloTopic(), name, SloDocuments.record(name, 1, document)));
    }

    private static long nanosOf(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static long counter(JobClient job, String name) {
        return METRICS.findMetrics(job.getJobID(), ".*\\." + name).values().stream()
                .mapToLong(metric -> ((Counter) metric).getCount()).sum();
    }
}
