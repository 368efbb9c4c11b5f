package io.nines.query.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nines.query.alerting.AlertService;
import io.nines.query.alerting.SilenceService;
import io.nines.query.alerting.TargetService;
import io.nines.query.auth.Sessions;
import io.nines.query.auth.TokenService;
import io.nines.query.latency.LatencyService;
import io.nines.query.resilience.AuthFailures;
import io.nines.query.resilience.Lanes;
import io.nines.query.resilience.RateLimits;
import io.nines.query.resilience.ResilienceSettings;
import io.nines.query.slo.SloService;
import io.nines.query.status.HistoryService;
import io.nines.query.status.StatusService;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Builds the HTTP server: routes, error mapping and telemetry. Starting it is the caller's move. */
public final class HttpApi {

    /** What serves {@code /api/v1/slos}. */
    public record SloServices(SloService definitions, StatusService status, HistoryService history) {
        public SloServices {
            Objects.requireNonNull(definitions, "definitions");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(history, "history");
        }
    }

    /** What serves notification targets, silences, alerts and the notification log. */
    public record AlertingServices(TargetService targets, SilenceService silences, AlertService alerts) {
        public AlertingServices {
            Objects.requireNonNull(targets, "targets");
            Objects.requireNonNull(silences, "silences");
            Objects.requireNonNull(alerts, "alerts");
        }
    }

    /** Tokens and sessions; without them ({@code --no-auth}) every caller is the local admin. */
    public record Security(TokenService tokens, Sessions sessions, Duration sessionIdleTimeout) {
        public Security {
            Objects.requireNonNull(tokens, "tokens");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        }
    }

    /** Everything the routes need. {@code lanes} belongs to the caller, who closes it after the server. */
    public record Parts(LatencyService latency, Optional<SloServices> slos, Optional<Security> security,
            BooleanSupplier storageReady, PrometheusMeterRegistry registry, InstantSource clock,
            ResilienceSettings resilience, Lanes lanes, Optional<AlertingServices> alerting) {
        public Parts {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(slos, "slos");
            Objects.requireNonNull(security, "security");
            Objects.requireNonNull(storageReady, "storageReady");
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(resilience, "resilience");
            Objects.requireNonNull(lanes, "lanes");
            Objects.requireNonNull(alerting, "alerting");
        }

        /** Without the alerting routes. */
        public Parts(LatencyService latency, Optional<SloServices> slos, Optional<Security> security,
                BooleanSupplier storageReady, PrometheusMeterRegistry registry, InstantSource clock,
                ResilienceSettings resilience, Lanes lanes) {
            this(latency, slos, security, storageReady, registry, clock, resilience, lanes, Optional.empty());
        }
    }

    private HttpApi() {}

    /** The latency API alone, without authentication, with default limits. */
    public static Javalin create(LatencyService latency, BooleanSupplier storageReady,
            PrometheusMeterRegistry registry, InstantSource clock) {
        ResilienceSettings settings = ResilienceSettings.defaults();
        return create(new Parts(latency, Optional.empty(), Optional.empty(), storageReady, registry, clock, settings,
                new Lanes(settings, registry)));
    }

    public static Javalin create(Parts parts) {
        Callers callers = parts.security()
                .map(security -> Callers.authenticated(security.tokens(), security.sessions()))
                .orElseGet(Callers::noAuth);
        List<Route> routes = new ApiRoutes(parts, callers).all();
        Admission admission = new Admission(callers, new RateLimits(parts.resilience().requestsPerSecond(),
                parts.registry()), parts.lanes(), new AuthFailures(parts.resilience().authFailuresPerMinute(),
                parts.registry()));
        RequestTelemetry telemetry = new RequestTelemetry(parts.registry());
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.prefer405over404 = true;
            // What Jetty refuses before a route sees it is answered as a problem too.
            config.jetty.modifyServer(server -> server.setErrorHandler(new ServerErrors()));
            config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
            telemetry.install(config);
            Problems.register(config.routes);
            DashboardAssets.install(config);
            for (Route route : routes) {
                config.routes.addHttpHandler(route.method(), route.path(), admission.wrap(route));
            }
        });
    }
}
