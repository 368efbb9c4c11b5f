package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {

    @Test
    void defaultsToTheLocalPorts() {
        CollectorConfig config = CollectorConfig.from(new String[0], Map.of());

        assertThat(config).isEqualTo(new CollectorConfig("127.0.0.1", 4318, "127.0.0.1", 4317, "127.0.0.1", 8889,
                "127.0.0.1:9092", "otlp_spans", "otlp_metrics", "otlp_logs", 20 * 1024 * 1024, 1_000_000, "lz4",
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2), 64L * 1024 * 1024, 256,
                Duration.ofMinutes(10), Optional.empty(), Optional.empty(), 2));
    }

    @Test
    void takesArgumentsOverEnvironmentOverDefaults() {
        Map<String, String> env = Map.of(
                "NINES_COLLECTOR_OTLP_HTTP_PORT", "5318",
                "NINES_COLLECTOR_METRICS_PORT", "9999",
                "NINES_KAFKA_BOOTSTRAP", "kafka:9092");

        CollectorConfig config = CollectorConfig.from(
                new String[] {"--otlp-http-port=6318", "--spans-topic=spans_test", "--kafka-delivery-timeout-ms=3000",
                    "--kafka-transactional-id=nines-collector-a", "--kafka-producers=3"},
                env);

        assertThat(config.otlpHttpPort()).isEqualTo(6318);
        assertThat(config.metricsPort()).isEqualTo(9999);
        assertThat(config.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(config.spansTopic()).isEqualTo("spans_test");
        assertThat(config.kafkaDeliveryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.kafkaTransactionalId()).hasValue("nines-collector-a");
        assertThat(config.kafkaProducers()).isEqualTo(3);
    }

    @Test
    void prefersTheCollectorsOwnKafkaVariable() {
        CollectorConfig config = CollectorConfig.from(new String[0],
                Map.of("NINES_KAFKA_BOOTSTRAP", "shared:9092", "NINES_COLLECTOR_KAFKA_BOOTSTRAP", "own:9092"));

        assertThat(config.kafkaBootstrap()).isEqualTo("own:9092");
    }

    @Test
    void refusesUnknownOptionsAndBadValuesByName() {
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--otlp-port=1"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown option --otlp-port");
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--otlp-http-port=70000"}, Map.of()))
                .hasMessage("port must be in 0..65535 but was 70000");
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--metrics-port=x"}, Map.of()))
                .hasMessage("--metrics-port must be a whole number, was 'x'");
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--kafka-delivery-timeout-ms=10"}, Map.of()))
                .hasMessage("deliveryTimeout must be at least 1 s but was PT0.01S");
    }

    @Test
    void takesTheGrpcPortTopicsBudgetAndTokensFile() {
        CollectorConfig config = CollectorConfig.from(new String[] {"--otlp-grpc-port=5317", "--metrics-topic=m",
            "--logs-topic=l", "--inflight-bytes=100000000", "--inflight-requests=9", "--ingest-tokens=/etc/tokens",
            "--max-future-skew-ms=60000"}, Map.of("NINES_COLLECTOR_KAFKA_PROBE_INTERVAL_MS", "700"));

        assertThat(config.otlpGrpcPort()).isEqualTo(5317);
        assertThat(config.metricsTopic()).isEqualTo("m");
        assertThat(config.logsTopic()).isEqualTo("l");
        assertThat(config.inflightBytes()).isEqualTo(100_000_000L);
        assertThat(config.inflightRequests()).isEqualTo(9);
        assertThat(config.ingestTokens()).contains(Path.of("/etc/tokens"));
        assertThat(config.maxFutureSkew()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.kafkaProbeInterval()).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void refusesABudgetTooSmallForTheLargestRequestAndSharedTopics() {
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--inflight-bytes=1000"}, Map.of()))
                .hasMessage("inflight-bytes must be at least max-body-bytes (20971520) so that the largest request "
                        + "can pass, but was 1000");
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--logs-topic=otlp_spans"}, Map.of()))
                .hasMessage("spans-topic, metrics-topic and logs-topic must differ but were otlp_spans, otlp_metrics "
                        + "and otlp_spans");
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--inflight-requests=0"}, Map.of()))
                .hasMessage("inflight-requests must be positive but was 0");
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--kafka-compression=brotli"}, Map.of()))
                .hasMessage("kafka-compression must be one of [gzip, lz4, none, snappy, zstd] but was 'brotli'");
        assertThatThrownBy(() -> CollectorConfig.from(new String[] {"--kafka-producers=0"}, Map.of()))
                .hasMessage("kafka-producers must be in 1..16 but was 0");
    }
}
