package io.nines.collector.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.nines.collector.pipeline.DeliveryException;
import io.nines.collector.pipeline.DeliveryException.Reason;
import io.nines.collector.pipeline.OutboundRecord;
import io.nines.collector.pipeline.RecordSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The collector's one producer, shared by the sinks of all signals; tells {@link KafkaHealth} how sends go. */
public final class KafkaPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
    private static final String SEND_TIMER = "nines.collector.kafka.send";

    private final Producer<String, byte[]> producer;
    private final KafkaClientMetrics clientMetrics;
    private final Duration closeTimeout;
    private final KafkaHealth health;
    private final MeterRegistry registry;

    private KafkaPublisher(Producer<String, byte[]> producer, KafkaClientMetrics clientMetrics, Duration closeTimeout,
            KafkaHealth health, MeterRegistry registry) {
        this.producer = producer;
        this.clientMetrics = clientMetrics;
        this.closeTimeout = closeTimeout;
        this.health = health;
        this.registry = registry;
    }

    /** Creates the producer (it connects on first use) and publishes its client metrics to {@code registry}. */
    public static KafkaPublisher open(ProducerSettings settings, KafkaHealth health, MeterRegistry registry) {
        Objects.requireNonNull(health, "health");
        Producer<String, byte[]> producer = new KafkaProducer<>(settings.producerProperties());
        KafkaClientMetrics clientMetrics = new KafkaClientMetrics(producer);
        clientMetrics.bindTo(registry);
        LOG.atInfo().addKeyValue("bootstrap", settings.bootstrapServers()).log("Kafka producer created");
        return new KafkaPublisher(producer, clientMetrics, settings.deliveryTimeout(), health, registry);
    }

    /** A sink that writes to {@code topic}. */
    public RecordSink sinkFor(String topic) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        Timer delivered = sendTimer(topic, "delivered");
        Timer failed = sendTimer(topic, "failed");
        return (records, headers) -> {
            long started = System.nanoTime();
            CompletableFuture<Void> acks = send(topic, records, headers);
            return acks.whenComplete((ignored, error) -> {
                long nanos = System.nanoTime() - started;
                (error == null ? delivered : failed).record(Duration.ofNanos(nanos));
            });
        };
    }

    private Timer sendTimer(String topic, String outcome) {
        return Timer.builder(SEND_TIMER)
                .description("From handing a request's records to the producer until Kafka acknowledged all of them")
                .tags("topic", topic, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    private CompletableFuture<Void> send(String topic, List<OutboundRecord> records, Map<String, String> headers) {
        List<Header> kafkaHeaders = new ArrayList<>(headers.size());
        headers.forEach((name, value) -> kafkaHeaders.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
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
                producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), kafkaHeaders),
                        (metadata, error) -> {
                            if (error == null) {
                                health.delivered();
                                ack.complete(null);
                            } else {
                                ack.completeExceptionally(failure(topic, error));
                            }
                        });
            } catch (RuntimeException e) {
                refused = failure(topic, e);
                ack.completeExceptionally(refused);
            }
        }
        return CompletableFuture.allOf(acks);
    }

    private DeliveryException failure(String topic, Throwable error) {
        if (error instanceof RecordTooLargeException) {
            return new DeliveryException(Reason.RECORD_TOO_LARGE, "Kafka refused a record for topic " + topic
                    + " as too large: " + error.getMessage(), error);
        }
        health.failed(error);
        return new DeliveryException(Reason.UNAVAILABLE, "Kafka did not take a record for topic " + topic + ": "
                + error, error);
    }

    /** Waits a bounded time for records in flight, so that acknowledged requests are not lost on shutdown. */
    @Override
    public void close() {
        clientMetrics.close();
        producer.close(closeTimeout);
    }
}
