package io.nines.collector.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.nines.collector.pipeline.OutboundRecord;
import io.nines.collector.pipeline.RecordSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's transactional producers, shared by the sinks of all signals: requests are written in
 * group-committed Kafka transactions ({@link GroupCommitter}), so readers with {@code isolation.level=read_committed}
 * see a request's records only when it is acknowledged. Tells {@link KafkaHealth} how commits go.
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);
    private static final String SEND_TIMER = "nines.collector.kafka.send";

    private final GroupCommitter committer;
    private final Map<Integer, KafkaClientMetrics> clientMetrics;
    private final MeterRegistry registry;

    private KafkaPublisher(GroupCommitter committer, Map<Integer, KafkaClientMetrics> clientMetrics,
            MeterRegistry registry) {
        this.committer = committer;
        this.clientMetrics = clientMetrics;
        this.registry = registry;
    }

    /**
     * Creates the producers (they connect and initialise their transactions on first use), publishes their client
     * metrics to {@code registry} and starts the group-commit lanes, one per producer.
     *
     * @param transactionalId the instance's id; producer {@code i} uses {@code transactionalId-i}
     */
    public static KafkaPublisher open(ProducerSettings settings, String transactionalId, KafkaHealth health,
            MeterRegistry registry) {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(transactionalId, "transactionalId");
        if (transactionalId.isBlank()) {
            throw new IllegalArgumentException("transactionalId must not be blank");
        }
        Map<Integer, KafkaClientMetrics> clientMetrics = new ConcurrentHashMap<>();
        IntFunction<Producer<String, byte[]>> producers = lane -> {
            Producer<String, byte[]> producer = new KafkaProducer<>(settings.producerProperties(transactionalId, lane));
            KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
            metrics.bindTo(registry);
            KafkaClientMetrics old = clientMetrics.put(lane, metrics);
            if (old != null) {
                old.close();
            }
            return producer;
        };
        GroupCommitter committer = new GroupCommitter(producers, settings.producers(), health,
                settings.deliveryTimeout(), registry);
        committer.start();
        LOG.atInfo().addKeyValue("bootstrap", settings.bootstrapServers())
                .addKeyValue("transactionalId", transactionalId).addKeyValue("producers", settings.producers())
                .log("Kafka producers created");
        return new KafkaPublisher(committer, clientMetrics, registry);
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
                .description("From handing a request's records to the producer until Kafka committed all of them")
                .tags("topic", topic, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }

    private CompletableFuture<Void> send(String topic, List<OutboundRecord> records, Map<String, String> headers) {
        List<Header> kafkaHeaders = new ArrayList<>(headers.size());
        headers.forEach((name, value) -> kafkaHeaders.add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8))));
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(records.size());
        long bytes = 0;
        for (OutboundRecord record : records) {
            out.add(new ProducerRecord<>(topic, null, record.key(), record.value(), kafkaHeaders));
            bytes += record.value().length;
        }
        return committer.submit(out, bytes);
    }

    /** Writes what is queued, bounded by the delivery timeout, so that acknowledged requests are not lost on shutdown. */
    @Override
    public void close() {
        committer.close();
        clientMetrics.values().forEach(KafkaClientMetrics::close);
    }
}
