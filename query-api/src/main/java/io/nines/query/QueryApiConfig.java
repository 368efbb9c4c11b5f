package io.nines.query;

import io.nines.query.slo.SloSettings;
import io.nines.query.storage.ClickHouseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the query API reads from its environment, read once and validated.
 *
 * <p>Options (environment {@code NINES_QUERY_API_<KEY>}; the ClickHouse ones also {@code NINES_<KEY>}):
 * {@code --host=127.0.0.1}, {@code --port=8080} (0 picks a free port),
 * {@code --clickhouse-url=jdbc:clickhouse://127.0.0.1:8123/nines?compress=false},
 * {@code --clickhouse-user=default}, {@code --clickhouse-password=}, {@code --clickhouse-cluster=} (set for a
 * replicated cluster), {@code --startup-timeout-ms=60000} (how long to wait for ClickHouse and Kafka at startup),
 * {@code --kafka-bootstrap=127.0.0.1:9092} (also {@code NINES_KAFKA_BOOTSTRAP}),
 * {@code --slo-topic=nines.slo-definitions}, {@code --slos=} (a directory of OpenSLO files to load at startup),
 * {@code --stream-job=nines-streaming} (whose watermark in {@code stream_progress} closes minutes).
 */
record QueryApiConfig(String host, int port, ClickHouseSettings clickHouse, SloSettings slos,
        Duration startupTimeout) {

    static final Set<String> KEYS = Set.of("host", "port", "clickhouse-url", "clickhouse-user",
            "clickhouse-password", "clickhouse-cluster", "startup-timeout-ms", "kafka-bootstrap", "slo-topic", "slos",
            "stream-job");

    QueryApiConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if (clickHouse == null) {
            throw new IllegalArgumentException("clickHouse settings are required");
        }
        if (slos == null) {
            throw new IllegalArgumentException("SLO settings are required");
        }
        if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startup-timeout-ms must be positive, was " + startupTimeout);
        }
    }

    static QueryApiConfig load(String[] args, Map<String, String> env) {
        Options options = Options.parse(args, env, KEYS);
        return new QueryApiConfig(
                options.value("host", "127.0.0.1"),
                options.intValue("port", 8080),
                new ClickHouseSettings(
                        options.value("clickhouse-url", "jdbc:clickhouse://127.0.0.1:8123/nines?compress=false"),
                        options.value("clickhouse-user", "default"),
                        options.value("clickhouse-password", ""),
                        options.value("clickhouse-cluster").filter(name -> !name.isEmpty())),
                new SloSettings(
                        options.value("kafka-bootstrap", "127.0.0.1:9092"),
                        options.value("slo-topic", "nines.slo-definitions"),
                        options.value("slos").filter(dir -> !dir.isEmpty()).map(Path::of),
                        options.value("stream-job", "nines-streaming")),
                Duration.ofMillis(options.intValue("startup-timeout-ms", 60_000)));
    }

    /** A config for a local ClickHouse database and Kafka with the defaults; tests and tools start from it. */
    static QueryApiConfig local(String host, int port, String jdbcUrl, String kafkaBootstrap) {
        return new QueryApiConfig(host, port, new ClickHouseSettings(jdbcUrl, "default", "", Optional.empty()),
                SloSettings.local(kafkaBootstrap), Duration.ofSeconds(60));
    }

    QueryApiConfig withSlos(SloSettings settings) {
        return new QueryApiConfig(host, port, clickHouse, settings, startupTimeout);
    }
}
