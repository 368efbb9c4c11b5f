package io.nines.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.nines.infra.testing.ChildJvm;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(NinesInfra.class)
class KafkaBrokerTest {

    private static final int RECORDS = 1_000;
    private static final int PARTITIONS = 3;

    @Test
    void everyRecordWrittenWithAcksAllIsReadBackExactlyOnce(EmbeddedKafka kafka) throws Exception {
        String topic = NinesInfra.uniqueName("exactly_once");
        kafka.createTopic(topic, PARTITIONS);

        List<String> sent = produce(kafka, topic, 0, RECORDS);

        assertThat(consumeAll(kafka, topic, RECORDS)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(endOffsetSum(kafka, topic)).isEqualTo(RECORDS);
    }

    @Test
    void recordsSurviveARestartOnTheSameData(EmbeddedKafka kafka) throws Exception {
        String topic = NinesInfra.uniqueName("restart");
        kafka.createTopic(topic, PARTITIONS);
        List<String> sent = produce(kafka, topic, 0, RECORDS);

        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.start();
        System.out.println("broker restarted in " + kafka.startupTime().toMillis() + " ms");

        assertThat(consumeAll(kafka, topic, RECORDS)).containsExactlyInAnyOrderElementsOf(sent);
        List<String> more = produce(kafka, topic, RECORDS, 10);
        assertThat(more).hasSize(10);
        assertThat(endOffsetSum(kafka, topic)).isEqualTo(RECORDS + 10);
    }

    @Test
    void topicsAreCreatedOnFirstUseWithOnePartition(EmbeddedKafka kafka) throws Exception {
        String topic = NinesInfra.uniqueName("auto_created");

        List<String> sent = produce(kafka, topic, 0, 5);

        assertThat(consumeAll(kafka, topic, 5)).containsExactlyInAnyOrderElementsOf(sent);
        try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
            assertThat(consumer.partitionsFor(topic)).hasSize(1);
        }
    }

    @Test
    void creatingAnExistingTopicFails(EmbeddedKafka kafka) {
        String topic = NinesInfra.uniqueName("twice");
        kafka.createTopic(topic, 1);

        assertThatThrownBy(() -> kafka.createTopic(topic, 1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("failed with status 1")
                .hasMessageContaining("already exists");
    }

    @Test
    void withIfNotExistsAnExistingTopicIsSuccessAndKeepsItsPartitions(EmbeddedKafka kafka) throws Exception {
        String topic = NinesInfra.uniqueName("provisioned");
        kafka.createTopic(topic, PARTITIONS);

        ChildJvm again = ChildJvm.builder("topics-if-not-exists", "io.nines.infra.kafka.KafkaTopicsMain")
                .jvmOptions("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .args("--bootstrap-servers=" + kafka.bootstrapServers(), "--topic=" + topic, "--partitions=1",
                        "--if-not-exists")
                .start();

        assertThat(again.awaitExit(Duration.ofSeconds(90))).isZero();
        assertThat(String.join("\n", again.tail())).contains("Topic " + topic + " exists");
        try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
            assertThat(consumer.partitionsFor(topic)).hasSize(PARTITIONS);
        }
    }

    @Test
    void aBrokerThatCannotBindItsPortExitsWithStatusTwoAndSaysWhy(@TempDir Path dir)
            throws Exception {
        int controllerPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            controllerPort = probe.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChildJvm broker = ChildJvm.builder("kafka-port-taken", KafkaBrokerMain.class.getName())
                    .jvmOptions("-Xmx256m")
                    .args("--port=" + taken.getLocalPort(), "--controller-port=" + controllerPort, "--path=" + dir)
                    .start();

            assertThat(broker.awaitExit(Duration.ofSeconds(90))).isEqualTo(2);
            assertThat(broker.tail()).last().asString()
                    .startsWith("Kafka broker failed to start: ")
                    .contains("127.0.0.1:" + taken.getLocalPort())
                    .contains("Address already in use");
        }
    }

    private static List<String> produce(EmbeddedKafka kafka, String topic, int first, int count) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        List<String> values = IntStream.range(first, first + count).mapToObj(i -> "record-" + i).toList();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (String value : values) {
                acks.add(producer.send(new ProducerRecord<>(topic, value, value)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        return values;
    }

    private static List<String> consumeAll(EmbeddedKafka kafka, String topic, int expected) {
        List<String> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
                return received.size() >= expected;
            });
        }
        return received;
    }

    private static long endOffsetSum(EmbeddedKafka kafka, String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, NinesInfra.uniqueName("group"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
