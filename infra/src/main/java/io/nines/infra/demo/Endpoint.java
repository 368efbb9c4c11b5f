package io.nines.infra.demo;

import java.util.List;
import java.util.Objects;

/**
 * One HTTP operation of a simulated service.
 *
 * @param service    the {@code service.name} that serves it
 * @param method     HTTP method
 * @param route      route template, as {@code http.route}
 * @param selfTime   time spent in the service itself, around its downstream calls
 * @param errorRate  share of requests that fail in this service (HTTP 500), whatever the downstream calls do
 * @param downstream endpoints it calls in order; a failing call fails this request too
 */
record Endpoint(String service, String method, String route, LatencyModel selfTime, double errorRate,
        List<Endpoint> downstream) {

    Endpoint {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(selfTime, "selfTime");
        if (service.isBlank()) {
            throw new IllegalArgumentException("service must not be blank");
        }
        if (!route.startsWith("/")) {
            throw new IllegalArgumentException("route must start with / but was '" + route + "'");
        }
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be in [0, 1] but was " + errorRate);
        }
        downstream = List.copyOf(downstream);
    }

    /** The span name OpenTelemetry's HTTP semantic conventions give a server span: method and route. */
    String spanName() {
        return method + " " + route;
    }
}
