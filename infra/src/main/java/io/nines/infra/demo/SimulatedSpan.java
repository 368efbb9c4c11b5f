package io.nines.infra.demo;

import io.opentelemetry.api.trace.SpanKind;
import java.util.Objects;

/**
 * One span of a simulated trace, with times relative to the trace's start.
 *
 * @param parent     index of the parent span in its trace, -1 for the root
 * @param peer       for a CLIENT span, the service called; else null
 * @param statusCode HTTP response status code
 */
record SimulatedSpan(int parent, String service, String name, SpanKind kind, String method, String route,
        String peer, long startNanos, long endNanos, int statusCode, boolean error) {

    SimulatedSpan {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (parent < -1) {
            throw new IllegalArgumentException("parent must be >= -1 but was " + parent);
        }
        if (startNanos < 0 || endNanos < startNanos) {
            throw new IllegalArgumentException("need 0 <= startNanos <= endNanos but got " + startNanos + ".." + endNanos);
        }
    }

    long durationNanos() {
        return endNanos - startNanos;
    }
}
