package io.nines.streaming;

import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.TestProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nines.infra.testing.ChildJvm;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The entry point as a plain JVM runs it: its own process, a local MiniCluster, configuration from the CLI. */
@ExtendWith(NinesInfra.class)
class StreamingMainTest {

    @Test
    void migratesStartsAndWritesMinutesWhenRunAsAPlainJvm(EmbeddedKafka kafka, EmbeddedClickHouse clickHouse,
                                                           @TempDir Path checkpoints) throws Exception {
        String topic = NinesInfra.uniqueName("otlp_spans");
        kafka.createTopic(topic, 1);
        String database = NinesInfra.uniqueName("nines");
        clickHouse.createDatabase(database);

        try (ChildJvm main = ChildJvm.builder("streaming-main", StreamingMain.class.getName())
                .classpath(System.getProperty("java.class.path"))
                .jvmOptions("-Xmx512m", "--add-opens", "java.base/java.util=ALL-UNNAMED",
                        "--add-opens", "java.base/java.lang=ALL-UNNAMED")
                .args("--kafka-bootstrap=" + kafka.bootstrapServers(), "--spans-topic=" + topic,
                        "--clickhouse-url=" + clickHouse.jdbcUrl(database), "--checkpoint-interval=1s",
                        "--early-firing=1s")
                .env("NINES_CHECKPOINT_DIR", checkpoints.toString())
                .readyLine("Streaming job running")
                .startupTimeout(Duration.ofSeconds(90))
                .start();
             KafkaProducer<String, byte[]> producer = producer(kafka)) {
            Instant end = Instant.parse("2026-11-29T09:00:30Z");
            producer.send(new ProducerRecord<>(topic, "checkout", record("checkout",
                    List.of(server("POST /checkout", end, 120_000), server("POST /checkout", end, 80_000)))));
            producer.flush();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(clickHouse.execute(
                    "SELECT service, operation, toString(minute), count, errors, sum_ms FROM " + database
                            + ".latency_minute FINAL FORMAT TSV"))
                    .isEqualTo("checkout\tPOST /checkout\t2026-11-29 09:00:00\t2\t0\t200\n"));
            assertThat(main.isAlive()).isTrue();
        }
    }
}
