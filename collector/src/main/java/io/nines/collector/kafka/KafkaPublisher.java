package io.nines.collector.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.nines.collector.pipeline.DeliveryException;
import io.nines.collector.pipeline.DeliveryException.Reason;
import io.nines.collector.pipeline.OutboundRecord;
import io.nines.collector.pipeline.RecordSink;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The collector's one producer, shared by the sinks of all signals. */
public final class KafkaPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics clientMetrics;
    private final Duration closeTimeout;

    private KafkaPublisher(Producer<String, byte[]> producer, KafkaClientMetrics clientMetrics, Duration closeTimeout) {
        this.producer = producer;
        this.clientMetrics = clientMetrics;
        this.closeTimeout = closeTimeout;
    }

    /** Creates the producer (it connects on first use) and publishes its client metrics to {@code registry}. */
    public static KafkaPublisher open(ProducerSettings settings, MeterRegistry registry) {
        Producer<String, byte[]> producer = new KafkaProducer<>(settings.producerProperties());
        KafkaClientMetrics clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(registry);
        LOG.atInfo().addKeyValue("bootstrap", settings.bootstrapServers()).log("Kafka producer created");
        return new KafkaPublisher(producer, clientMetrics, settings.deliveryTimeout());
    }

    /** A sink that writes to {@code topic}. */
    public RecordSink sinkFor(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        return records -> send(topic, records);
    }

    private CompletableFuture<Void> send(String topic, List<OutboundRecord> records) {
        CompletableFuture<?>[] acks = new CompletableFuture<?>[records.size()];
        DeliveryException refused = null;
        for (int i = 0; i < acks.length; i++) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks[i] = ack;
            if (refused != null) {
                // send() already blocked for the whole timeout once; don't make the client wait again per record
                ack.completeExceptionally(refused);
                continue;
            }
            OutboundRecord record = records.get(i);
            try {
                producer.send(new ProducerRecord<>(topic, record.key(), record.value()), (metadata, error) -> {
                    if (error == null) {
                        ack.complete(null);
                    } else {
                        ack.completeExceptionally(translate(topic, error));
                    }
                });
            } catch (RuntimeException e) {
                refused = translate(topic, e);
                ack.completeExceptionally(refused);
            }
        }
        return CompletableFuture.allOf(acks);
    }

    private static DeliveryException translate(String topic, Throwable error) {
        Reason reason = error instanceof RecordTooLargeException ? Reason.RECORD_TOO_LARGE : Reason.UNAVAILABLE;
        return new DeliveryException(reason, "Kafka did not take a record for topic " + topic + ": " + error, error);
    }

    /** Waits a bounded time for records in flight, so that acknowledged requests are not lost on shutdown. */
    @Override
    public void close() {
        clientMetrics.close();
        producer.close(closeTimeout);
    }
}
