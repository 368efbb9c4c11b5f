package io.nines.query;

import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nines.query.http.HttpApi;
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
    private final Javalin server;
    private final String host;

    private QueryApi(ClickHouse clickHouse, SloPublisher publisher, Javalin server, String host) {
        this.clickHouse = clickHouse;
        this.publisher = publisher;
        this.server = server;
        this.host = host;
    }

    /**
     * Migrates the schema and makes sure the SLO topic exists (waiting for ClickHouse and Kafka up to the
     * startup timeout), loads the SLO directory if one is configured, and starts serving.
     */
    static QueryApi start(QueryApiConfig config, InstantSource clock) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        ClickHouse clickHouse = ClickHouse.pool(config.clickHouse(), registry);
        SloPublisher publisher = null;
        try {
            clickHouse.migrate(config.startupTimeout(), clock);
            SloTopic.ensure(config.slos(), config.startupTimeout(), clock);
            publisher = SloPublisher.create(config.slos());
            Sql sql = new Sql(clickHouse.dataSource(), clickHouse.database());
            SloService definitions = new SloService(sql, publisher, clock);
            config.slos().directory().ifPresent(directory -> LOG.info("loaded SLOs from {}: {}", directory,
                    SloDirectory.load(directory, definitions)));
            LatencyService latency = new LatencyService(clickHouse.dataSource(), clickHouse.database());
            HttpApi.SloServices slos = new HttpApi.SloServices(definitions,
                    new StatusService(sql, definitions, clock, config.slos().streamJob()),
                    new HistoryService(sql, definitions, clock));
            Javalin server = HttpApi.create(latency, Optional.of(slos), clickHouse::isReady, registry, clock);
            server.start(config.host(), config.port());
            return new QueryApi(clickHouse, publisher, server, config.host());
        } catch (RuntimeException e) {
            if (publisher != null) {
                publisher.close();
            }
            clickHouse.close();
            throw e;
        }
    }

    int port() {
        return server.port();
    }

    URI url() {
        return URI.create("http://" + host + ":" + port());
    }

    @Override
    public void close() {
        server.stop();
        publisher.close();
        clickHouse.close();
    }
}
