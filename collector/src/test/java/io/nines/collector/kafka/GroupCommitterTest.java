package io.nines.collector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nines.collector.pipeline.DeliveryException;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Group commit against a real broker: an aborted group leaves nothing that read_committed readers can see. */
@ExtendWith(NinesInfra.class)
class GroupCommitterTest {

    private static final int MAX_RECORD_BYTES = 100_000;
    /** Over the producer's max.request.size (the largest record plus 64 KiB): refused by the producer itself. */
    private static final int TOO_LARGE = MAX_RECORD_BYTES + 128 * 1024;

    @Test
    void abortedGroupLeavesNothingVisibleToReadCommitted(EmbeddedKafka kafka) throws Exception {
        String topic = NinesInfra.uniqueName("groups");
        kafka.createTopic(topic, 1);
        ProducerSettings settings = new ProducerSettings(kafka.bootstrapServers(), Duration.ofSeconds(10),
                MAX_RECORD_BYTES, 32L * 1024 * 1024, "none", 1);
        Map<String, Object> properties = settings.producerProperties("nines-collector-test-" + UUID.randomUUID(), 0);
        try (KafkaHealth health = KafkaHealth.start(kafka.bootstrapServers(), Duration.ofSeconds(1),
                InstantSource.system(), new SimpleMeterRegistry());
                GroupCommitter committer = new GroupCommitter(lane -> new KafkaProducer<>(properties), 1, health,
                        settings.deliveryTimeout(), new SimpleMeterRegistry())) {
            // queued before the lane starts, so the three requests form one group
            CompletableFuture<Void> small = committer.submit(records(topic, "small", 3, 100), 300);
            // one record the producer refuses puts the transaction in error: the whole group is aborted
            CompletableFuture<Void> large = committer.submit(records(topic, "large", 1, TOO_LARGE), TOO_LARGE);
            CompletableFuture<Void> other = committer.submit(records(topic, "other", 2, 100), 200);
            committer.start();

            assertThat(reason(small)).isEqualTo(DeliveryException.Reason.UNAVAILABLE);
            assertThat(reason(large)).isEqualTo(DeliveryException.Reason.RECORD_TOO_LARGE);
            assertThat(reason(other)).isEqualTo(DeliveryException.Reason.UNAVAILABLE);

            // the retries, without the oversized request, commit as one group
            CompletableFuture<Void> smallAgain = committer.submit(records(topic, "small", 3, 100), 300);
            CompletableFuture<Void> otherAgain = committer.submit(records(topic, "other", 2, 100), 200);
            smallAgain.get(30, TimeUnit.SECONDS);
            otherAgain.get(30, TimeUnit.SECONDS);
        }

        List<String> committed = readAll(kafka.bootstrapServers(), topic, "read_committed");
        assertThat(committed).containsExactlyInAnyOrder("small-0", "small-1", "small-2", "other-0", "other-1");
        // the aborted attempt's records may be in the log (read_uncommitted sees them), never in read_committed
        assertThat(readAll(kafka.bootstrapServers(), topic, "read_uncommitted")).hasSizeBetween(5, 10)
                .doesNotContain("large-0");
    }

    @Test
    void lanesCommitEveryConcurrentRequestOnceWithItsRecordsInOrder(EmbeddedKafka kafka) throws Exception {
        String topic = NinesInfra.uniqueName("lanes");
        kafka.createTopic(topic, 1);
        ProducerSettings settings = new ProducerSettings(kafka.bootstrapServers(), Duration.ofSeconds(10),
                MAX_RECORD_BYTES, 32L * 1024 * 1024, "none", 3);
        String transactionalId = "nines-collector-test-" + UUID.randomUUID();
        List<CompletableFuture<Void>> answers = new ArrayList<>();
        try (KafkaHealth health = KafkaHealth.start(kafka.bootstrapServers(), Duration.ofSeconds(1),
                InstantSource.system(), new SimpleMeterRegistry());
                GroupCommitter committer = new GroupCommitter(
                        lane -> new KafkaProducer<>(settings.producerProperties(transactionalId, lane)),
                        settings.producers(), health, settings.deliveryTimeout(), new SimpleMeterRegistry())) {
            committer.start();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<CompletableFuture<Void>>> submitted = new ArrayList<>();
                for (int request = 0; request < 300; request++) {
                    String name = "request" + request;
                    submitted.add(clients.submit(() -> committer.submit(records(topic, name, 3, 100), 300)));
                }
                for (var future : submitted) {
                    answers.add(future.get(30, TimeUnit.SECONDS));
                }
            } finally {
                clients.shutdown();
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }

        List<String> committed = readAll(kafka.bootstrapServers(), topic, "read_committed");
        assertThat(committed).hasSize(900).doesNotHaveDuplicates();
        for (int request = 0; request < 300; request++) {
            String name = "request" + request;
            // one request's records travel in one transaction of one lane, in the order given
            assertThat(committed.stream().filter(label -> label.startsWith(name + "-")).toList())
                    .containsExactly(name + "-0", name + "-1", name + "-2");
        }
    }

    private static List<ProducerRecord<String, byte[]>> records(String topic, String name, int count, int bytes) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[bytes];
            byte[] label = (name + "-" + i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(label, 0, value, 0, label.length);
            records.add(new ProducerRecord<>(topic, name, value));
        }
        return records;
    }

    private static DeliveryException.Reason reason(CompletableFuture<Void> future) {
        try {
            future.orTimeout(30, TimeUnit.SECONDS).join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(DeliveryException.class);
            return ((DeliveryException) e.getCause()).reason();
        }
        throw new AssertionError("the request was acknowledged");
    }

    /** Every record's label, read from the beginning until a poll brings nothing new. */
    private static List<String> readAll(String bootstrap, String topic, String isolation) {
        List<String> labels = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    labels.add(value.substring(0, value.indexOf('\0') < 0 ? value.length() : value.indexOf('\0')));
                }
            }
        }
        return labels;
    }
}
