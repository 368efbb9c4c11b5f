package io.nines.collector.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How the collector's producer talks to Kafka.
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param deliveryTimeout  longest a send may take, blocking included, before the receiver gives up and
 *                         tells the client to retry
 * @param maxRecordBytes   largest record value the encoders produce
 * @param bufferBytes      the producer's {@code buffer.memory}; sized above the receivers' in-flight byte
 *                         budget so that a full buffer never blocks a request thread
 * @param compression      the producer's {@code compression.type}: none, gzip, snappy, lz4 or zstd
 * @param producers        how many transactional producers commit groups in turn (see {@link GroupCommitter})
 */
public record ProducerSettings(String bootstrapServers, Duration deliveryTimeout, int maxRecordBytes,
        long bufferBytes, String compression, int producers) {

    /** Most lanes worth having: each holds a producer, its buffer and an I/O thread. */
    static final int MAX_PRODUCERS = 16;

    private static final java.util.Set<String> COMPRESSIONS = java.util.Set.of("none", "gzip", "snappy", "lz4", "zstd");

    /** Long enough to batch a burst of requests, short enough not to show in export latency. */
    static final int LINGER_MS = 5;
    /** Room for the key, headers and batch framing around the largest value. */
    static final int REQUEST_SIZE_SLACK = 64 * 1024;

    public ProducerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        if (deliveryTimeout.toMillis() < 1000) {
            throw new IllegalArgumentException("deliveryTimeout must be at least 1 s but was " + deliveryTimeout);
        }
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1024 but was " + maxRecordBytes);
        }
        if (!COMPRESSIONS.contains(compression)) {
            throw new IllegalArgumentException("kafka-compression must be one of " + new java.util.TreeSet<>(COMPRESSIONS)
                    + " but was '" + compression + "'");
        }
        if (producers < 1 || producers > MAX_PRODUCERS) {
            throw new IllegalArgumentException("kafka-producers must be in 1.." + MAX_PRODUCERS + " but was " + producers);
        }
        if (bufferBytes < 2L * (maxRecordBytes + REQUEST_SIZE_SLACK)) {
            throw new IllegalArgumentException("bufferBytes must hold two of the largest records ("
                    + 2L * (maxRecordBytes + REQUEST_SIZE_SLACK) + ") but was " + bufferBytes);
        }
    }

    /**
     * The properties of lane {@code lane}'s producer: its {@code transactional.id} is {@code transactionalId-lane},
     * stable across restarts so that a restarted collector fences its predecessor's lanes, and its client id
     * {@code nines-collector-lane}, so that each producer's client metrics stand apart.
     */
    Map<String, Object> producerProperties(String transactionalId, int lane) {
        return producerProperties(transactionalId + "-" + lane, "nines-collector-" + lane);
    }

    Map<String, Object> producerProperties(String transactionalId, String clientId) {
        int deliveryMs = Math.toIntExact(deliveryTimeout.toMillis());
        return Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, clientId),
                // group commit: a request's records become visible to read_committed readers only when it is
                // acknowledged; a stable id per instance lets a restarted collector fence its predecessor
                Map.entry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId),
                Map.entry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(60_000, 3 * deliveryMs)),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS),
                // records are whole resources, up to the largest; a batch that fits any of them comes from the
                // producer's buffer pool instead of a fresh allocation per record
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, maxRecordBytes + REQUEST_SIZE_SLACK),
                Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, bufferBytes),
                // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, deliveryMs - LINGER_MS),
                // send() blocks while metadata is missing or the buffer is full: bound it like delivery
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, deliveryMs),
                Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes + REQUEST_SIZE_SLACK),
                Map.entry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class),
                Map.entry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }
}
