package io.nines.query.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane), logs one access line per
 * request and records its latency by route template and status.
 */
final class RequestTelemetry {

    static final String REQUEST_ID = "X-Request-Id";

    private static final Logger ACCESS = LoggerFactory.getLogger("io.nines.query.access");
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String ATTRIBUTE = "nines.requestId";
    /** Unmatched paths share one label so that scanners cannot blow up the metric's cardinality. */
    private static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;

    RequestTelemetry(MeterRegistry registry) {
        this.registry = registry;
    }

    void install(JavalinConfig config) {
        config.routes.before(ctx -> {
            String given = ctx.header(REQUEST_ID);
            String id = given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
            ctx.attribute(ATTRIBUTE, id);
            ctx.header(REQUEST_ID, id);
        });
        config.requestLogger.http(this::completed);
    }

    static String requestId(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id == null ? "none" : id;
    }

    private void completed(Context ctx, Float millis) {
        String route = route(ctx);
        Timer.builder("http.server.requests")
                .description("HTTP requests by route template and status")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000)));
        ACCESS.info("{} {} {} {} {} ms", requestId(ctx), ctx.method(), ctx.path(), ctx.statusCode(),
                String.format("%.1f", millis));
    }

    private static String route(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? UNMATCHED : endpoint.path;
        } catch (RuntimeException noEndpoint) {
            return UNMATCHED;
        }
    }
}
