package io.nines.streaming;

import static io.nines.streaming.testing.ClickHouseRows.rows;
import static io.nines.streaming.testing.OtlpSpans.failed;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.SloDocuments.availability;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.testing.SloDocuments;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
 * When spans stop, the spans source goes idle and only the definitions stream feeds the SLO operator.
 * Event time must then stand still, not leap ahead: a leap would make every later span late, and SLOs and
 * alerts would stop counting for good.
 */
@ExtendWith(NinesInfra.class)
class QuietSpansKeepEventTimeTest {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration())).build());

    private static final Instant M0 = Instant.parse("2026-11-29T09:00:00Z");
    private static final String SLO = "quiet-availability";

    @Test
    void countsSpansThatArriveAfterAQuietSpell(EmbeddedKafka kafka, EmbeddedClickHouse clickHouse,
                                               @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints).withSloTopic()
                .options("--alerts-topic=" + NinesInfra.uniqueName("alerts"), "--checkpoint-interval=2s",
                        "--allowed-lateness=1m", "--early-firing=1s", "--idleness=1s", "--progress-interval=1s")
                .load();
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            producer.send(new ProducerRecord<>(config.sloTopic(), SLO,
                    SloDocuments.record(SLO, 1, availability(SLO, "quiet", "", ""))));
            producer.flush();
            JobClient job = TestJobs.start(config);
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    send(producer, config, M0, 1, 0);
                    return !rows(connection, "SELECT minute FROM slo_minute WHERE slo = '" + SLO + "'").isEmpty();
                });
                // The quiet spell: every source has seen no record for three times the idleness timeout.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> quietForMillis(job) >= 3_000);

                Instant m1 = M0.plusSeconds(60);
                send(producer, config, m1, 5, 2);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows(connection,
                        "SELECT good, total FROM slo_minute FINAL WHERE slo = '" + SLO + "' AND minute = "
                                + m1.getEpochSecond())).containsExactly("3|5"));
            } finally {
                job.cancel().get();
            }
        }
    }

    /** How long the quietest-recently source has gone without a record (Flink's sourceIdleTime). */
    private static long quietForMillis(JobClient job) {
        var gauges = METRICS.findMetrics(job.getJobID(), ".*\\.sourceIdleTime").values();
        return gauges.isEmpty() ? 0 : gauges.stream()
                .mapToLong(gauge -> ((Number) ((Gauge<?>) gauge).getValue()).longValue()).min().orElse(0);
    }

    /** {@code n} spans of service quiet ending from {@code start}, the first {@code failures} of them failed. */
    private static void send(KafkaProducer<String, byte[]> producer, StreamingConfig config, Instant start, int n,
                             int failures) {
        List<Span.Builder> spans = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Span.Builder span = server("GET /q", start.plusMillis(1_000 + 100L * i), 5);
            spans.add(i < failures ? failed(span) : span);
        }
        producer.send(new ProducerRecord<>(config.spansTopic(), "quiet", record("quiet", spans)));
        producer.flush();
    }
}
