package io.nines.streaming;

import static io.nines.streaming.testing.OtlpSpans.failed;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.SloDocuments.availability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.streaming.testing.SloDocuments;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
        StreamingConfig config = configFor(kafka, clickHouse, checkpoints);
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            producer.send(new ProducerRecord<>(config.sloTopic(), SLO,
                    SloDocuments.record(SLO, 1, availability(SLO, "quiet", "", ""))));
            producer.flush();
            var env = StreamExecutionEnvironment.getExecutionEnvironment(StreamingMain.flinkConfiguration(config));
            StreamingMain.wire(env, config);
            JobClient job = env.executeAsync(config.jobName());
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

    private static List<String> rows(Connection connection, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static StreamingConfig configFor(EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, Path checkpoints)
            throws Exception {
        String spans = NinesInfra.uniqueName("otlp_spans");
        kafka.createTopic(spans, 1);
        String slos = NinesInfra.uniqueName("slo_definitions");
        kafka.createTopic(slos, 1, Map.of("cleanup.policy", "compact"));
        String database = NinesInfra.uniqueName("nines");
        clickHouse.createDatabase(database);
        StreamingConfig config = StreamingConfig.load(List.of(
                "--kafka-bootstrap=" + kafka.bootstrapServers(),
                "--spans-topic=" + spans,
                "--slo-topic=" + slos,
                "--alerts-topic=" + NinesInfra.uniqueName("alerts"),
                "--group-id=" + NinesInfra.uniqueName("streaming"),
                "--clickhouse-url=" + clickHouse.jdbcUrl(database),
                "--checkpoint-interval=2s",
                "--checkpoint-dir=" + checkpoints,
                "--allowed-lateness=1m",
                "--early-firing=1s",
                "--idleness=1s",
                "--progress-interval=1s"), Map.of());
        StreamingMain.migrate(config.clickHouse());
        return config;
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }
}
