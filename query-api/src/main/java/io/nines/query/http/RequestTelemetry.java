package io.nines.query.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nines.query.auth.Principal;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane), logs one structured access line
 * per request and records its latency by route template and status.
 *
 * <p>The line is logfmt ({@code key=value}, values quoted when they need it), and the same fields travel as SLF4J
 * key-value pairs, so a JSON encoder writes them as fields: {@code requestId tokenId team method route status
 * durationMs bytes cache}. The route is the template ({@code /api/v1/slos/{name}/status}), never the path or the
 * query string, which may carry what callers typed; the token is its id, never its text.
 */
final class RequestTelemetry {

    static final String REQUEST_ID = "X-Request-Id";

    private static final Logger ACCESS = LoggerFactory.getLogger("io.nines.query.access");
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._:/{}@+,-]+");
    private static final String ATTRIBUTE = "nines.requestId";
    private static final String BYTES = "nines.responseBytes";
    /** Unmatched paths share one label so that scanners cannot blow up the metric's cardinality. */
    private static final String UNMATCHED = "unmatched";
    private static final String NONE = "-";

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
        config.routes.after(ctx -> ctx.attribute(BYTES, bodyBytes(ctx)));
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
        if (!ACCESS.isInfoEnabled()) {
            return;
        }
        Map<String, Object> fields = fields(ctx, route, millis);
        LoggingEventBuilder line = ACCESS.atInfo();
        fields.forEach(line::addKeyValue);
        line.log(logfmt(fields));
    }

    static Map<String, Object> fields(Context ctx, String route, float millis) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", requestId(ctx));
        Optional<Principal> caller = Callers.caller(ctx);
        fields.put("tokenId", caller.map(Principal::tokenId).orElse(NONE));
        fields.put("team", caller.map(Principal::team).filter(team -> !team.isEmpty()).orElse(NONE));
        fields.put("method", ctx.method().name());
        fields.put("route", route);
        fields.put("status", ctx.statusCode());
        fields.put("durationMs", String.format(Locale.ROOT, "%.1f", millis));
        Long bytes = ctx.attribute(BYTES);
        fields.put("bytes", bytes == null ? bodyBytes(ctx) : bytes);
        fields.put("cache", cache(ctx.res().getHeader("Cache-Status")));
        return fields;
    }

    /** {@code key=value ...}; a value with spaces, quotes or other punctuation is quoted, with {@code \} escapes. */
    static String logfmt(Map<String, Object> fields) {
        StringBuilder line = new StringBuilder();
        fields.forEach((key, value) -> {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            String text = String.valueOf(value);
            line.append(key).append('=');
            if (BARE.matcher(text).matches()) {
                line.append(text);
            } else {
                line.append('"').append(text.replace("\\", "\\\\").replace("\"", "\\\"")
                        .replace("\n", "\\n").replace("\r", "\\r")).append('"');
            }
        });
        return line.toString();
    }

    /**
     * The body's bytes before any compression, taken in an after-handler: Javalin writes the result (through a
     * compressing stream that buffers until the end) only after the after-handlers, and logs before the response
     * is flushed, so neither the response nor its stream can tell later. The handlers' bodies are byte arrays;
     * -1 stands for a body of unknown length (none of the {@code /api/v1} routes).
     */
    private static long bodyBytes(Context ctx) {
        InputStream body = ctx.resultInputStream();
        if (body == null) {
            return 0;
        }
        return body instanceof ByteArrayInputStream bytes ? bytes.available() : -1;
    }

    /** What the read caches did, from their {@code Cache-Status}: hit, miss, stale, or - for uncached routes. */
    private static String cache(String cacheStatus) {
        if (cacheStatus == null) {
            return NONE;
        }
        if (cacheStatus.contains("detail=")) {
            return "stale";
        }
        return cacheStatus.contains("fwd=miss") ? "miss" : "hit";
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
