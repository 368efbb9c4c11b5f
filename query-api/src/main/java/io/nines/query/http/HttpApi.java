package io.nines.query.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nines.query.latency.LatencyService;
import io.nines.query.slo.SloService;
import io.nines.query.status.HistoryService;
import io.nines.query.status.StatusService;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Builds the HTTP server: routes, error mapping and telemetry. Starting it is the caller's move. */
public final class HttpApi {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** What serves {@code /api/v1/slos}. */
    public record SloServices(SloService definitions, StatusService status, HistoryService history) {
        public SloServices {
            Objects.requireNonNull(definitions, "definitions");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(history, "history");
        }
    }

    private HttpApi() {}

    /** The latency API alone. */
    public static Javalin create(LatencyService latency, BooleanSupplier storageReady,
            PrometheusMeterRegistry registry, InstantSource clock) {
        return create(latency, Optional.empty(), storageReady, registry, clock);
    }

    public static Javalin create(LatencyService latency, Optional<SloServices> slos, BooleanSupplier storageReady,
            PrometheusMeterRegistry registry, InstantSource clock) {
        LatencyHandlers handlers = new LatencyHandlers(latency, clock);
        RequestTelemetry telemetry = new RequestTelemetry(registry);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
            telemetry.install(config);
            Problems.register(config.routes);

            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "up")));
            config.routes.get("/ready", ctx -> {
                if (!storageReady.getAsBoolean()) {
                    throw new Problems.NotReadyException("ClickHouse does not answer SELECT 1");
                }
                ctx.json(Map.of("status", "ready"));
            });
            config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape()));

            config.routes.get("/api/v1/services", handlers::services);
            config.routes.get("/api/v1/services/{service}/latency", handlers::latency);
            config.routes.get("/api/v1/services/{service}/latency/series", handlers::series);

            slos.ifPresent(services -> {
                SloHandlers definitions = new SloHandlers(services.definitions());
                SloStatusHandlers status = new SloStatusHandlers(services.status(), services.history());
                config.routes.post("/api/v1/slos", definitions::create);
                config.routes.get("/api/v1/slos", definitions::list);
                config.routes.get("/api/v1/slos/{name}", definitions::get);
                config.routes.put("/api/v1/slos/{name}", definitions::put);
                config.routes.delete("/api/v1/slos/{name}", definitions::delete);
                config.routes.get("/api/v1/slos/{name}/versions", definitions::versions);
                config.routes.get("/api/v1/slos/{name}/status", status::status);
                config.routes.get("/api/v1/slos/{name}/history", status::history);
            });
        });
    }
}
