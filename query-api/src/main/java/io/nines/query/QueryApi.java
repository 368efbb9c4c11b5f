package io.nines.query;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nines.query.alerting.AlertService;
import io.nines.query.alerting.SilenceService;
import io.nines.query.alerting.TargetService;
import io.nines.query.auth.AdminTokenFile;
import io.nines.query.auth.AuthSettings;
import io.nines.query.auth.Sessions;
import io.nines.query.auth.TokenService;
import io.nines.query.delivery.Delivery;
import io.nines.query.http.HttpApi;
import io.nines.query.resilience.Lanes;
import io.nines.query.resilience.ResilienceSettings;
import io.nines.query.storage.StorageGuard;
import io.nines.query.latency.LatencyService;
import io.nines.query.slo.SloDirectory;
import io.nines.query.slo.SloPublisher;
import io.nines.query.slo.SloService;
import io.nines.query.slo.SloTopic;
import io.nines.query.status.HistoryService;
import io.nines.query.status.StatusService;
import io.nines.query.storage.ClickHouse;
import io.nines.query.storage.Sql;
import java.net.URI;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running query API: the ClickHouse pool, the Kafka producer of SLO definitions and the HTTP server. */
final class QueryApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);

    private final ClickHouse clickHouse;
    private final SloPublisher publisher;
    private final Lanes lanes;
    private final Javalin server;
    private final String host;
    private final Optional<AdminTokenFile.Outcome> adminToken;
    private final Optional<Delivery> delivery;

    private QueryApi(ClickHouse clickHouse, SloPublisher publisher, Lanes lanes, Javalin server, String host,
            Optional<AdminTokenFile.Outcome> adminToken, Optional<Delivery> delivery) {
        this.clickHouse = clickHouse;
        this.delivery = delivery;
        this.publisher = publisher;
        this.lanes = lanes;
        this.server = server;
        this.host = host;
        this.adminToken = adminToken;
    }

    /**
     * Migrates the schema and makes sure the SLO topic exists (waiting for ClickHouse and Kafka up to the
     * startup timeout), registers or creates the admin token, loads the SLO directory if one is configured, and
     * starts serving.
     */
    static QueryApi start(QueryApiConfig config, InstantSource clock) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        ResilienceSettings limits = config.resilience();
        ClickHouse clickHouse = ClickHouse.pool(config.clickHouse(), registry);
        SloPublisher publisher = null;
        Lanes lanes = new Lanes(limits, registry);
        try {
            clickHouse.migrate(config.startupTimeout(), clock);
            SloTopic.ensure(config.slos(), config.startupTimeout(), clock);
            publisher = SloPublisher.create(config.slos());
            Sql sql = new Sql(clickHouse.dataSource(), clickHouse.database(),
                    new StorageGuard(limits.breakerOpenFor(), limits.readAttempts(), registry), limits.queryTimeout());
            Optional<HttpApi.Security> security = security(config.auth(), sql, clock, registry);
            Optional<AdminTokenFile.Outcome> adminToken = security.flatMap(s -> config.auth().adminTokenFile()
                    .map(file -> AdminTokenFile.apply(file, s.tokens())));
            SloService definitions = new SloService(sql, publisher, clock);
            TargetService targets = new TargetService(sql, clock);
            SilenceService silences = new SilenceService(sql, clock,
                    slo -> definitions.current(slo).map(v -> v.definition().team()));
            config.slos().directory().ifPresent(directory -> LOG.info("loaded SLOs from {}: {}", directory,
                    SloDirectory.load(directory, definitions, config.slos().prune())));
            HttpApi.SloServices slos = new HttpApi.SloServices(definitions,
                    new StatusService(sql, definitions, clock, config.slos().streamJob(), silences),
                    new HistoryService(sql, definitions, clock));
            Javalin server = HttpApi.create(new HttpApi.Parts(new LatencyService(sql), Optional.of(slos), security,
                    clickHouse::isReady, registry, clock, limits, lanes,
                    Optional.of(new HttpApi.AlertingServices(targets, silences, new AlertService(sql)))));
            server.start(config.host(), config.port());
            // Last: delivery reads targets and silences through the same services, on threads of its own.
            Optional<Delivery> delivery = config.delivery().enabled()
                    ? Optional.of(Delivery.start(config.delivery(), sql, targets, silences, clock, registry))
                    : Optional.empty();
            return new QueryApi(clickHouse, publisher, lanes, server, config.host(), adminToken, delivery);
        } catch (RuntimeException e) {
            if (publisher != null) {
                publisher.close();
            }
            lanes.close();
            clickHouse.close();
            throw e;
        }
    }

    private static Optional<HttpApi.Security> security(AuthSettings auth, Sql sql, InstantSource clock,
            PrometheusMeterRegistry registry) {
        if (!auth.enabled()) {
            LOG.warn("*** AUTHENTICATION IS OFF (--no-auth): every request acts as an admin. Use this only on a"
                    + " single-user machine that nobody else can reach. ***");
            return Optional.empty();
        }
        TokenService tokens = new TokenService(sql, clock, auth.tokenRefresh(), registry);
        return Optional.of(new HttpApi.Security(tokens, new Sessions(tokens, auth.sessionIdleTimeout()),
                auth.sessionIdleTimeout()));
    }

    /** What startup did with {@code --admin-token-file}, if it was given. */
    Optional<AdminTokenFile.Outcome> adminToken() {
        return adminToken;
    }

    int port() {
        return server.port();
    }

    URI url() {
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public void close() {
        // Delivery first: it records outcomes in ClickHouse and commits offsets, so the pool must still be open.
        delivery.ifPresent(Delivery::close);
        server.stop();
        lanes.close();
        publisher.close();
        clickHouse.close();
    }
}
