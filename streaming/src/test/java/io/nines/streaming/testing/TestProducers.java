package io.nines.streaming.testing;

import io.nines.infra.testing.EmbeddedKafka;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Producers of test input, acknowledged by all replicas. */
public final class TestProducers {

    private TestProducers() {
    }

    /** A producer of string keys and byte values to {@code kafka}. */
    public static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(properties(kafka), new StringSerializer(), new ByteArraySerializer());
    }

    /** Like {@link #producer}, and idempotent: a retried send is written once. */
    public static KafkaProducer<String, byte[]> idempotentProducer(EmbeddedKafka kafka) {
        Properties properties = properties(kafka);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    private static Properties properties(EmbeddedKafka kafka) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return properties;
    }
}
