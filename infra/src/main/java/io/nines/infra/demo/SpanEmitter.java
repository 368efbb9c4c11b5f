package io.nines.infra.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Turns simulated spans into OpenTelemetry spans of the right service, with the HTTP semantic conventions. */
final class SpanEmitter {

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final long SERVICE_PORT = 8080;

    private final Map<String, Tracer> tracers;

    /** @param tracers one tracer per service, from that service's tracer provider */
    SpanEmitter(Map<String, Tracer> tracers) {
        this.tracers = Map.copyOf(tracers);
    }

    void emit(List<SimulatedSpan> trace, Instant traceStart) {
        long origin = TimeUnit.SECONDS.toNanos(traceStart.getEpochSecond()) + traceStart.getNano();
        Span[] started = new Span[trace.size()];
        for (int i = 0; i < trace.size(); i++) {
            SimulatedSpan simulated = trace.get(i);
            Tracer tracer = Objects.requireNonNull(tracers.get(simulated.service()),
                    () -> "no tracer for service " + simulated.service());
            Context parent = simulated.parent() < 0 ? Context.root() : Context.root().with(started[simulated.parent()]);
            SpanBuilder builder = tracer.spanBuilder(simulated.name())
                    .setParent(parent)
                    .setSpanKind(simulated.kind())
                    .setStartTimestamp(origin + simulated.startNanos(), TimeUnit.NANOSECONDS)
                    .setAttribute(METHOD, simulated.method())
                    .setAttribute(STATUS, (long) simulated.statusCode());
            if (simulated.kind() == SpanKind.SERVER) {
                builder.setAttribute(ROUTE, simulated.route()).setAttribute(URL_SCHEME, "http");
            } else {
                builder.setAttribute(SERVER_ADDRESS, simulated.peer()).setAttribute(SERVER_PORT, SERVICE_PORT);
            }
            started[i] = builder.startSpan();
            if (simulated.error()) {
                started[i].setAttribute(ERROR_TYPE, Integer.toString(simulated.statusCode()));
                started[i].setStatus(StatusCode.ERROR, "HTTP " + simulated.statusCode());
            }
        }
        // children first, as they would finish in a real process
        for (int i = trace.size() - 1; i >= 0; i--) {
            started[i].end(origin + trace.get(i).endNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
