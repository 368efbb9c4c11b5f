package io.nines.streaming;

import static io.nines.streaming.testing.ClickHouseRows.rows;
import static io.nines.streaming.testing.OtlpSpans.failed;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.Severity;
import io.nines.core.latency.LatencyHistogram;
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
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerting end to end on real parts: an SLO definition and spans in a Kafka broker, the job in a Flink
 * MiniCluster, alert transitions on the alerts topic and in {@code alert_events} in our ClickHouse server.
 */
@ExtendWith(NinesInfra.class)
class SpansToAlertsTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1)
                    .build());

    private static final String SLO = "checkout-availability";
    private static final Instant PROBE = Instant.parse("2026-11-29T08:00:00Z");
    /** An hour of healthy traffic at one request a second from here, then a total outage from {@link #OUTAGE}. */
    private static final Instant HEALTHY = Instant.parse("2026-11-29T09:00:00Z");
    private static final Instant OUTAGE = HEALTHY.plusSeconds(3_600);

    @Test
    void anOutageRaisesExactlyOneFiringPageOnTheTopicAndInAlertEvents(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints).withSloTopic().withAlertsTopic()
                .options("--checkpoint-interval=2s", "--allowed-lateness=1m", "--early-firing=1s",
                        "--progress-interval=1s")
                .load();
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            producer.send(new ProducerRecord<>(config.sloTopic(), SLO, SloDocuments.record(SLO, 1, slo())));
            producer.flush();
            JobClient job = TestJobs.start(config);
            try {
                // spans count once the job has seen the definition: probe with healthy spans until one counted
                int[] probes = {0};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    send(producer, config, PROBE.plusSeconds(probes[0]++), false);
                    producer.flush();
                    return !rows(connection, "SELECT slo FROM slo_minute WHERE slo = '" + SLO + "'").isEmpty();
                });
                for (int second = 0; second < 3_600 + 120; second++) {
                    send(producer, config, HEALTHY.plusSeconds(second), second >= 3_600);
                }
                producer.flush();

                // The job has seen one healthy hour, so the 6h window holds that hour: 30 s into the outage the
                // 6h burn is 30 / (3630 + probes) / 0.001 >= 6 and the 30m burn 16.7, so the 6h/30m rule pages
                // at the pane ending OUTAGE + 30 s (at +20 s the 6h burn is under 6).
                long firing = OUTAGE.plusSeconds(30).toEpochMilli();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows(connection,
                        "SELECT state, sequence, toUnixTimestamp64Milli(at), rule, incident_id, notification_targets"
                                + " FROM alert_events FINAL WHERE alert_id = '" + SLO + "/page'")).containsExactly(
                        "firing|1000001|" + firing + "|burnrate>=6 over 6h and 30m|" + SLO + "/page/" + firing
                                + "|['payments-pager']"));
                // every pane of the outage evaluated (the watermark is past the last one) before reading the topic
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rows(connection,
                        "SELECT toUnixTimestamp64Milli(watermark) FROM stream_progress FINAL WHERE job = '"
                                + config.jobName() + "'")).singleElement().satisfies(watermark ->
                        assertThat(Long.parseLong(watermark)).isGreaterThanOrEqualTo(
                                OUTAGE.plusSeconds(100).toEpochMilli())));

                List<AlertTransition> pages = readAll(kafka, config.alertsTopic()).stream()
                        .filter(transition -> transition.severity() == Severity.PAGE).toList();
                assertThat(pages).singleElement().satisfies(page -> {
                    assertThat(page.state()).isEqualTo(AlertTransition.State.FIRING);
                    assertThat(page.at()).isEqualTo(Instant.ofEpochMilli(firing));
                    assertThat(page.sequence()).isEqualTo(1_000_001);
                    assertThat(page.notificationTargets()).containsExactly("payments-pager");
                    assertThat(page.burnRates().get("5m")).isEqualTo(30.0 / 300 / (1 - 0.999));
                });
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void slowSpansRaiseALatencyPageThatSaysWhatTheP99WasOnTheTopicAndInAlertEvents(
            EmbeddedKafka kafka, EmbeddedClickHouse clickHouse, @TempDir Path checkpoints) throws Exception {
        StreamingConfig config = TestJobs.configFor(kafka, clickHouse, checkpoints).withSloTopic().withAlertsTopic()
                .options("--checkpoint-interval=2s", "--allowed-lateness=1m", "--early-firing=1s",
                        "--progress-interval=1s")
                .load();
        String slo = "checkout-latency";
        String policy = "  alertPolicies: [{kind: AlertPolicy, metadata: {name: paging},"
                + " spec: {notificationTargets: [{targetRef: payments-pager}], conditions: [{kind: AlertCondition,"
                + " metadata: {name: slow}, spec: {severity: page, condition: {kind: nines.latency, op: gt,"
                + " quantile: 0.99, threshold: 300ms, lookbackWindow: 5m}}}]}}]\n";
        String document = slo().replace(SLO, slo).replaceAll("  alertPolicies: .*\n", policy);
        try (KafkaProducer<String, byte[]> producer = producer(kafka);
             Connection connection = config.clickHouse().connect()) {
            producer.send(new ProducerRecord<>(config.sloTopic(), slo, SloDocuments.record(slo, 1, document)));
            producer.flush();
            JobClient job = TestJobs.start(config);
            try {
                int[] probes = {0};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    send(producer, config, PROBE.plusSeconds(probes[0]++), false);
                    producer.flush();
                    return !rows(connection, "SELECT slo FROM slo_minute WHERE slo = '" + slo + "'").isEmpty();
                });
                // one request a second taking 2 ms for 5 minutes, then every one 800 ms: at the first pane end
                // after the slowdown the 5-minute window holds 290 fast and 10 slow spans, and its p99 (rank
                // floor(0.99 x 299) = 296) is a slow one
                Instant slowdown = HEALTHY.plusSeconds(300);
                for (int second = 0; second < 420; second++) {
                    Span.Builder span = server("POST /checkout", HEALTHY.plusSeconds(second),
                            second >= 300 ? 800_000 : 2_000);
                    producer.send(new ProducerRecord<>(config.spansTopic(), "checkout",
                            record("checkout", List.of(span))));
                }
                producer.flush();

                long firing = slowdown.plusSeconds(10).toEpochMilli();
                LatencyHistogram sketch = new LatencyHistogram();
                sketch.record(800);
                double p99 = sketch.quantile(0.99);
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows(connection,
                        "SELECT state, toUnixTimestamp64Milli(at), rule, latency['quantile'], latency['spans'],"
                                + " latency['thresholdMillis'], latency['observedMillis'] = " + p99
                                + " FROM alert_events FINAL WHERE alert_id = '" + slo + "/page'")).containsExactly(
                        "firing|" + firing + "|p99>300ms over 5m|0.99|300.0|300.0|1"));

                assertThat(readAll(kafka, config.alertsTopic())).singleElement().satisfies(page -> {
                    assertThat(page.alertId()).isEqualTo(slo + "/page");
                    assertThat(page.at()).isEqualTo(Instant.ofEpochMilli(firing));
                    assertThat(page.latency()).hasValueSatisfying(seen -> {
                        assertThat(seen.spans()).isEqualTo(300);
                        assertThat(seen.observedMillis()).isEqualTo(p99).isCloseTo(800, withinPercentage(1));
                    });
                });
            } finally {
                job.cancel().get();
            }
        }
    }

    private static String slo() {
        return "apiVersion: openslo/v1\n"
                + "kind: SLO\n"
                + "metadata: {name: " + SLO + ", labels: {team: payments}}\n"
                + "spec:\n"
                + "  service: checkout\n"
                + "  indicator:\n"
                + "    spec:\n"
                + "      ratioMetric:\n"
                + "        good: {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}\n"
                + "        total: {metricSource: {type: nines.spans, spec: {service: checkout}}}\n"
                + "  timeWindow: [{duration: 30d, isRolling: true}]\n"
                + "  budgetingMethod: Occurrences\n"
                + "  objectives: [{target: 0.999}]\n"
                + "  alertPolicies: [{kind: AlertPolicy, metadata: {name: paging},"
                + " spec: {notificationTargets: [{targetRef: payments-pager}]}}]\n";
    }

    private static void send(KafkaProducer<String, byte[]> producer, StreamingConfig config, Instant end,
                             boolean fail) {
        Span.Builder span = server("POST /checkout", end, 2_000);
        producer.send(new ProducerRecord<>(config.spansTopic(), "checkout",
                record("checkout", List.of(fail ? failed(span) : span))));
    }

    /** Every transition on the topic, read from the beginning to its current end. */
    private static List<AlertTransition> readAll(EmbeddedKafka kafka, String topic) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<AlertTransition> transitions = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    AlertTransition transition = AlertTransition.fromJson(record.value());
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(transition.alertId());
                    transitions.add(transition);
                }
            }
        }
        return transitions;
    }
}
