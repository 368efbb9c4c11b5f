package io.nines.query;

import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Alert transitions as the stream publishes them to {@code nines.alerts}, built and sent for tests. */
final class Transitions implements AutoCloseable {

    static final Map<String, Double> RATES = rates();

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    Transitions(String bootstrap, String topic) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    static AlertTransition of(String slo, String team, Severity severity, AlertTransition.State state, long sequence,
            Instant incidentStart, Instant at, List<String> targets) {
        return new AlertTransition(slo, team, "checkout", severity, state, sequence,
                AlertTransition.incidentId(slo, severity, incidentStart), at, "burnrate>=14.4 over 1h and 5m", RATES,
                0.125, targets);
    }

    void publish(AlertTransition... transitions) {
        try {
            for (AlertTransition transition : transitions) {
                producer.send(new ProducerRecord<>(topic, transition.key(), transition.toJson())).get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing failed", e);
        }
    }

    /** A record that is not a transition, as a broken or hostile producer might write. */
    void publishRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing failed", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    private static Map<String, Double> rates() {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("5m", 20.5);
        rates.put("30m", 16.0);
        rates.put("1h", 15.25);
        rates.put("2h", 9.0);
        rates.put("6h", 4.5);
        rates.put("1d", 1.5);
        rates.put("3d", 0.75);
        return rates;
    }
}
