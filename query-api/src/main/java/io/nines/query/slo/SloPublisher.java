package io.nines.query.slo;

import io.nines.core.slo.SloRecord;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes definitions to the compacted topic the stream reads, and returns only once every in-sync replica
 * has them (idempotent producer, acks=all), so an answer of 201 means the stream will see the change.
 */
public final class SloPublisher implements AutoCloseable {

    /** How long a change waits for Kafka before it is answered with 503. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    private SloPublisher(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public static SloPublisher create(SloSettings settings) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafkaBootstrap(),
                ProducerConfig.CLIENT_ID_CONFIG, "nines-query-api-slos",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() / 2,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() / 2,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis(),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, SloTopic.MAX_RECORD_BYTES);
        return new SloPublisher(new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
                settings.topic());
    }

    /** @throws PublishFailedException when Kafka did not acknowledge in time */
    void publish(SloRecord record) {
        send(record.name(), record.toJson());
    }

    /** A tombstone: compaction then forgets the SLO, and the stream drops it. */
    void publishDeletion(String name) {
        send(name, null);
    }

    private void send(String name, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, SloRecord.key(name), value))
                    .get(SEND_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new PublishFailedException("Kafka did not acknowledge SLO '" + name + "' on " + topic + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException | KafkaException e) {
            throw new PublishFailedException("Kafka did not acknowledge SLO '" + name + "' on " + topic
                    + " in time: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while publishing SLO '" + name + "'", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
