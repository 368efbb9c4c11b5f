package io.nines.query;

import io.nines.core.config.CommandLine;
import io.nines.query.auth.AuthSettings;
import io.nines.query.delivery.DeliverySettings;
import io.nines.query.resilience.ResilienceSettings;
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
 * {@code --slos-prune} (also delete the SLOs loaded from files that are gone, see {@code SloDirectory}),
 * {@code --stream-job=nines-streaming} (whose watermark in {@code stream_progress} closes minutes).
 *
 * <p>Authentication ({@link AuthSettings}): {@code --no-auth} (every request acts as admin: a single-user laptop
 * only), {@code --admin-token-file=} (an admin token, created there with mode 600 when missing),
 * {@code --token-refresh-ms=30000}, {@code --session-idle-ms=43200000}.
 *
 * <p>Limits ({@link ResilienceSettings}, defaults there): {@code --max-concurrent-requests=64},
 * {@code --dashboard-threads=4}, {@code --api-threads=8}, {@code --write-threads=2}, {@code --read-timeout-ms=12000},
 * {@code --write-timeout-ms=20000}, {@code --rate-limit-per-second=50}, {@code --fresh-for-ms=1000},
 * {@code --stale-for-ms=86400000}, {@code --breaker-open-ms=5000}, {@code --query-timeout-ms=3000},
 * {@code --read-attempts=2}, {@code --cache-bytes=8388608}, {@code --auth-failures-per-minute=60}.
 *
 * <p>Alert delivery ({@link DeliverySettings}): {@code --delivery=on} ({@code off}: no pages are sent from this
 * process), {@code --alerts-topic=nines.alerts}, {@code --external-url=} (where links in pages point; default
 * {@code http://host:port}).
 */
record QueryApiConfig(String host, int port, ClickHouseSettings clickHouse, SloSettings slos,
        Duration startupTimeout, AuthSettings auth, ResilienceSettings resilience, DeliverySettings delivery) {

    static final Set<String> KEYS = Set.of("host", "port", "clickhouse-url", "clickhouse-user",
            "clickhouse-password", "clickhouse-cluster", "startup-timeout-ms", "kafka-bootstrap", "slo-topic", "slos",
            "slos-prune", "stream-job", "no-auth", "admin-token-file", "token-refresh-ms", "session-idle-ms",
            "max-concurrent-requests", "dashboard-threads", "api-threads", "write-threads", "read-timeout-ms",
            "write-timeout-ms", "rate-limit-per-second", "fresh-for-ms", "stale-for-ms", "breaker-open-ms",
            "query-timeout-ms", "read-attempts", "cache-bytes", "auth-failures-per-minute",
            "delivery", "alerts-topic", "external-url");

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
        if (delivery == null) {
            throw new IllegalArgumentException("delivery settings are required");
        }
        if (auth == null || resilience == null) {
            throw new IllegalArgumentException("auth and resilience settings are required");
        }
    }

    static QueryApiConfig load(String[] args, Map<String, String> env) {
        CommandLine options = CommandLine.parse(args, env, "QUERY_API", KEYS, Set.of("no-auth", "slos-prune"))
                .alsoReading("clickhouse-cluster", "NINES_CLICKHOUSE_CLUSTER");
        return new QueryApiConfig(
                options.string("host", "127.0.0.1"),
                options.integer("port", 8080),
                new ClickHouseSettings(
                        options.string("clickhouse-url", "jdbc:clickhouse://127.0.0.1:8123/nines?compress=false"),
                        options.string("clickhouse-user", "default"),
                        options.string("clickhouse-password", ""),
                        options.value("clickhouse-cluster").filter(name -> !name.isEmpty())),
                new SloSettings(
                        options.string("kafka-bootstrap", "127.0.0.1:9092"),
                        options.string("slo-topic", "nines.slo-definitions"),
                        options.value("slos").filter(dir -> !dir.isEmpty()).map(Path::of),
                        options.string("stream-job", "nines-streaming"),
                        options.flag("slos-prune", false)),
                Duration.ofMillis(options.integer("startup-timeout-ms", 60_000)),
                auth(options),
                resilience(options),
                delivery(options));
    }

    /** {@code --delivery=on|off} (default on), {@code --alerts-topic=nines.alerts}, {@code --external-url=}. */
    private static DeliverySettings delivery(CommandLine options) {
        String mode = options.string("delivery", "on");
        if (!mode.equals("on") && !mode.equals("off")) {
            throw new IllegalArgumentException("--delivery must be on or off, was '" + mode + "'");
        }
        String external = options.value("external-url").filter(url -> !url.isEmpty()).orElseGet(() ->
                "http://" + options.string("host", "127.0.0.1") + ":" + options.integer("port", 8080));
        return DeliverySettings.defaults(mode.equals("on"), options.string("kafka-bootstrap", "127.0.0.1:9092"),
                external, options.string("alerts-topic", DeliverySettings.DEFAULT_TOPIC));
    }

    private static AuthSettings auth(CommandLine options) {
        AuthSettings defaults = AuthSettings.withAdminTokenFile(Path.of("unused"));
        return new AuthSettings(!options.flag("no-auth", false),
                options.value("admin-token-file").filter(file -> !file.isEmpty()).map(Path::of),
                millis(options, "token-refresh-ms", defaults.tokenRefresh()),
                millis(options, "session-idle-ms", defaults.sessionIdleTimeout()));
    }

    /** The {@code -ms} options are whole milliseconds. */
    private static Duration millis(CommandLine options, String key, Duration defaultValue) {
        return Duration.ofMillis(options.longValue(key, defaultValue.toMillis()));
    }

    private static ResilienceSettings resilience(CommandLine options) {
        ResilienceSettings d = ResilienceSettings.defaults();
        return new ResilienceSettings(
                options.integer("max-concurrent-requests", d.maxConcurrentRequests()),
                options.integer("dashboard-threads", d.dashboardThreads()),
                options.integer("api-threads", d.apiThreads()),
                options.integer("write-threads", d.writeThreads()),
                millis(options, "read-timeout-ms", d.readTimeout()),
                millis(options, "write-timeout-ms", d.writeTimeout()),
                options.integer("rate-limit-per-second", d.requestsPerSecond()),
                millis(options, "fresh-for-ms", d.freshFor()),
                millis(options, "stale-for-ms", d.staleFor()),
                millis(options, "breaker-open-ms", d.breakerOpenFor()),
                millis(options, "query-timeout-ms", d.queryTimeout()),
                options.integer("read-attempts", d.readAttempts()),
                options.longValue("cache-bytes", d.cacheBytes()),
                options.integer("auth-failures-per-minute", d.authFailuresPerMinute()));
    }

    /**
     * A config for a local ClickHouse database and Kafka; tests and tools start from it. Authentication is off and
     * answers are not reused ({@code freshFor} 0), so a test sees every change at once; tests of those turn them on.
     */
    static QueryApiConfig local(String host, int port, String jdbcUrl, String kafkaBootstrap) {
        return new QueryApiConfig(host, port, new ClickHouseSettings(jdbcUrl, "default", "", Optional.empty()),
                SloSettings.local(kafkaBootstrap), Duration.ofSeconds(60), AuthSettings.disabled(),
                ResilienceSettings.defaults().withFreshFor(Duration.ZERO),
                DeliverySettings.defaults(false, kafkaBootstrap, "http://" + host + ":" + port,
                        DeliverySettings.DEFAULT_TOPIC));
    }

    QueryApiConfig withSlos(SloSettings settings) {
        return new QueryApiConfig(host, port, clickHouse, settings, startupTimeout, auth, resilience, delivery);
    }

    QueryApiConfig withAuth(AuthSettings settings) {
        return new QueryApiConfig(host, port, clickHouse, slos, startupTimeout, settings, resilience, delivery);
    }

    QueryApiConfig withResilience(ResilienceSettings settings) {
        return new QueryApiConfig(host, port, clickHouse, slos, startupTimeout, auth, settings, delivery);
    }

    QueryApiConfig withDelivery(DeliverySettings settings) {
        return new QueryApiConfig(host, port, clickHouse, slos, startupTimeout, auth, resilience, settings);
    }
}
