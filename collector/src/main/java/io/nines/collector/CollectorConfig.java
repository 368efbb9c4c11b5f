package io.nines.collector;

import io.nines.collector.grpc.GrpcReceiverSettings;
import io.nines.collector.kafka.ProducerSettings;
import io.nines.collector.otlp.HttpReceiverSettings;
import io.nines.core.config.CommandLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the collector is told at startup.
 *
 * @param otlpHttpHost         interface of the OTLP/HTTP receiver
 * @param otlpHttpPort         OTLP/HTTP port; 0 picks a free one
 * @param otlpGrpcHost         interface of the OTLP/gRPC receiver
 * @param otlpGrpcPort         OTLP/gRPC port; 0 picks a free one
 * @param metricsHost          interface of {@code /metrics}, {@code /health} and {@code /ready}
 * @param metricsPort          their port; 0 picks a free one
 * @param kafkaBootstrap       Kafka bootstrap servers
 * @param spansTopic           topic that receives spans
 * @param metricsTopic         topic that receives metrics
 * @param logsTopic            topic that receives logs
 * @param maxBodyBytes         largest OTLP request after decompression, on both transports
 * @param maxRecordBytes       largest Kafka record value; larger resources are cut into several records
 * @param kafkaCompression     the producer's compression of record batches
 * @param kafkaDeliveryTimeout how long a request waits for Kafka before it is answered 503 / UNAVAILABLE
 * @param retryAfter           the delay clients are told to wait when Kafka or the budget cannot take data
 * @param kafkaProbeInterval   how often Kafka's health is probed
 * @param inflightBytes        decompressed request bytes both receivers may hold at once
 * @param inflightRequests     requests both receivers may hold at once
 * @param maxFutureSkew        items with timestamps later than now plus this are rejected
 * @param ingestTokens         the ingest tokens file; empty when anyone may send
 * @param kafkaTransactionalId the prefix of the producers' {@code transactional.id}s; empty for
 *                             {@code nines-collector-<host>-<otlp-grpc-port>}
 * @param kafkaProducers       how many transactional producers commit groups of requests in turn
 */
record CollectorConfig(
        String otlpHttpHost,
        int otlpHttpPort,
        String otlpGrpcHost,
        int otlpGrpcPort,
        String metricsHost,
        int metricsPort,
        String kafkaBootstrap,
        String spansTopic,
        String metricsTopic,
        String logsTopic,
        int maxBodyBytes,
        int maxRecordBytes,
        String kafkaCompression,
        Duration kafkaDeliveryTimeout,
        Duration retryAfter,
        Duration kafkaProbeInterval,
        long inflightBytes,
        int inflightRequests,
        Duration maxFutureSkew,
        Optional<Path> ingestTokens,
        Optional<String> kafkaTransactionalId,
        int kafkaProducers) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_OTLP_HTTP_PORT = 4318;
    static final int DEFAULT_OTLP_GRPC_PORT = 4317;
    static final int DEFAULT_METRICS_PORT = 8889;
    static final String DEFAULT_KAFKA_BOOTSTRAP = "127.0.0.1:9092";
    static final String DEFAULT_SPANS_TOPIC = "otlp_spans";
    static final String DEFAULT_METRICS_TOPIC = "otlp_metrics";
    static final String DEFAULT_LOGS_TOPIC = "otlp_logs";
    /** The OTLP specification's suggested limit. */
    static final int DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
    /** Fits the broker's default {@code message.max.bytes} (1 MiB) uncompressed. */
    static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;
    /** Costs about a third of the collector's CPU at full load and saves most of Kafka's disk and network. */
    static final String DEFAULT_KAFKA_COMPRESSION = "lz4";
    static final Duration DEFAULT_KAFKA_DELIVERY_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    static final Duration DEFAULT_KAFKA_PROBE_INTERVAL = Duration.ofSeconds(2);
    /** Three largest requests, or many ordinary ones; the heap needs about three times this (see docs). */
    static final long DEFAULT_INFLIGHT_BYTES = 64L * 1024 * 1024;
    static final int DEFAULT_INFLIGHT_REQUESTS = 256;
    static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofMinutes(10);
    /** Two: while one producer commits a group, the next group is gathered and sent by the other. */
    static final int DEFAULT_KAFKA_PRODUCERS = 2;
    /** Producer buffer beyond the in-flight budget, so that a full buffer never blocks a request thread. */
    private static final long PRODUCER_BUFFER_HEADROOM = 8L * 1024 * 1024;
    private static final long MIN_PRODUCER_BUFFER = 32L * 1024 * 1024;

    private static final Set<String> OPTIONS = Set.of("otlp-http-host", "otlp-http-port", "otlp-grpc-host",
            "otlp-grpc-port", "metrics-host", "metrics-port", "kafka-bootstrap", "spans-topic", "metrics-topic",
            "logs-topic", "max-body-bytes", "max-record-bytes", "kafka-compression", "kafka-delivery-timeout-ms", "retry-after-ms",
            "kafka-probe-interval-ms", "inflight-bytes", "inflight-requests", "max-future-skew-ms", "ingest-tokens",
            "kafka-transactional-id", "kafka-producers");

    CollectorConfig {
        requireText(kafkaBootstrap, "kafka-bootstrap");
        requireText(spansTopic, "spans-topic");
        requireText(metricsTopic, "metrics-topic");
        requireText(logsTopic, "logs-topic");
        requireText(metricsHost, "metrics-host");
        Objects.requireNonNull(kafkaProbeInterval, "kafkaProbeInterval");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(ingestTokens, "ingestTokens");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(kafkaTransactionalId, "kafkaTransactionalId");
        kafkaTransactionalId.ifPresent(id -> requireText(id, "kafka-transactional-id"));
        if (spansTopic.equals(metricsTopic) || spansTopic.equals(logsTopic) || metricsTopic.equals(logsTopic)) {
            throw new IllegalArgumentException("spans-topic, metrics-topic and logs-topic must differ but were "
                    + spansTopic + ", " + metricsTopic + " and " + logsTopic);
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics-port must be in 0..65535 but was " + metricsPort);
        }
        if (retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("retryAfter must be at least 1 s but was " + retryAfter);
        }
        if (kafkaProbeInterval.toMillis() < 100) {
            throw new IllegalArgumentException("kafka-probe-interval-ms must be at least 100 but was "
                    + kafkaProbeInterval.toMillis());
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("max-future-skew-ms must not be negative but was "
                    + maxFutureSkew.toMillis());
        }
        if (inflightBytes < maxBodyBytes) {
            throw new IllegalArgumentException("inflight-bytes must be at least max-body-bytes (" + maxBodyBytes
                    + ") so that the largest request can pass, but was " + inflightBytes);
        }
        if (inflightRequests < 1) {
            throw new IllegalArgumentException("inflight-requests must be positive but was " + inflightRequests);
        }
        // the settings records validate the rest; building them here makes a bad value fail at startup
        new HttpReceiverSettings(otlpHttpHost, otlpHttpPort, maxBodyBytes);
        new GrpcReceiverSettings(otlpGrpcHost, otlpGrpcPort, maxBodyBytes);
        new ProducerSettings(kafkaBootstrap, kafkaDeliveryTimeout, maxRecordBytes, producerBufferBytes(inflightBytes),
                kafkaCompression, kafkaProducers);
    }

    /** {@code --key=value} options, else {@code NINES_COLLECTOR_KEY} (and {@code NINES_KAFKA_BOOTSTRAP}), else defaults. */
    static CollectorConfig from(String[] args, Map<String, String> env) {
        CommandLine cli = CommandLine.parse(args, env, "COLLECTOR", OPTIONS);
        return new CollectorConfig(
                cli.string("otlp-http-host", DEFAULT_HOST),
                cli.integer("otlp-http-port", DEFAULT_OTLP_HTTP_PORT),
                cli.string("otlp-grpc-host", DEFAULT_HOST),
                cli.integer("otlp-grpc-port", DEFAULT_OTLP_GRPC_PORT),
                cli.string("metrics-host", DEFAULT_HOST),
                cli.integer("metrics-port", DEFAULT_METRICS_PORT),
                cli.string("kafka-bootstrap", DEFAULT_KAFKA_BOOTSTRAP),
                cli.string("spans-topic", DEFAULT_SPANS_TOPIC),
                cli.string("metrics-topic", DEFAULT_METRICS_TOPIC),
                cli.string("logs-topic", DEFAULT_LOGS_TOPIC),
                cli.integer("max-body-bytes", DEFAULT_MAX_BODY_BYTES),
                cli.integer("max-record-bytes", DEFAULT_MAX_RECORD_BYTES),
                cli.string("kafka-compression", DEFAULT_KAFKA_COMPRESSION),
                millis(cli, "kafka-delivery-timeout-ms", DEFAULT_KAFKA_DELIVERY_TIMEOUT),
                millis(cli, "retry-after-ms", DEFAULT_RETRY_AFTER),
                millis(cli, "kafka-probe-interval-ms", DEFAULT_KAFKA_PROBE_INTERVAL),
                cli.longValue("inflight-bytes", DEFAULT_INFLIGHT_BYTES),
                cli.integer("inflight-requests", DEFAULT_INFLIGHT_REQUESTS),
                millis(cli, "max-future-skew-ms", DEFAULT_MAX_FUTURE_SKEW),
                cli.value("ingest-tokens").map(Path::of),
                cli.value("kafka-transactional-id"),
                cli.integer("kafka-producers", DEFAULT_KAFKA_PRODUCERS));
    }

    /** The {@code -ms} options are whole milliseconds, negative ones included, so validation can name them. */
    private static Duration millis(CommandLine cli, String key, Duration defaultValue) {
        return Duration.ofMillis(cli.integer(key, (int) defaultValue.toMillis()));
    }

    HttpReceiverSettings httpReceiver() {
        return new HttpReceiverSettings(otlpHttpHost, otlpHttpPort, maxBodyBytes);
    }

    GrpcReceiverSettings grpcReceiver() {
        return new GrpcReceiverSettings(otlpGrpcHost, otlpGrpcPort, maxBodyBytes);
    }

    ProducerSettings producer() {
        return new ProducerSettings(kafkaBootstrap, kafkaDeliveryTimeout, maxRecordBytes,
                producerBufferBytes(inflightBytes), kafkaCompression, kafkaProducers);
    }

    private static long producerBufferBytes(long inflightBytes) {
        return Math.max(MIN_PRODUCER_BUFFER, inflightBytes + PRODUCER_BUFFER_HEADROOM);
    }

    private static void requireText(String value, String option) {
        Objects.requireNonNull(value, option);
        if (value.isBlank()) {
            throw new IllegalArgumentException(option + " must not be blank");
        }
    }
}
