package io.nines.infra.demo;

import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Simulates one request through the topology: server spans for every endpoint reached, client spans for
 * every call between services, all timed from latency models instead of a clock.
 */
final class TraceSimulator {

    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** One-way network time between services: about 0.2-0.5 ms on a data-centre network. */
    private static final LatencyModel NETWORK = new LatencyModel.LogNormal(0.25, 0.5);

    private final RandomGenerator random;

    TraceSimulator(RandomGenerator random) {
        this.random = random;
    }

    /** Spans in pre-order (every parent before its children), the root first and starting at 0. */
    List<SimulatedSpan> simulate(Endpoint root, Optional<Incident> incident) {
        List<SimulatedSpan> spans = new ArrayList<>();
        serve(root, 0, -1, incident, spans);
        return spans;
    }

    /** Adds the server span of {@code endpoint} and everything below it; returns that span. */
    private SimulatedSpan serve(Endpoint endpoint, long start, int parent, Optional<Incident> incident,
            List<SimulatedSpan> spans) {
        Optional<Incident> here = incident.filter(i -> i.service().equals(endpoint.service()));
        double slowdown = here.map(Incident::slowdown).orElse(1.0);
        double errorRate = Math.max(endpoint.errorRate(), here.map(Incident::errorRate).orElse(0.0));
        long selfNanos = nanos(endpoint.selfTime().sampleMillis(random) * slowdown);

        int index = spans.size();
        spans.add(null);
        // work before the first call and after the last one, like parsing a request and rendering a response
        long cursor = start + selfNanos / 2;
        boolean downstreamFailed = false;
        for (Endpoint call : endpoint.downstream()) {
            SimulatedSpan client = call(endpoint, call, cursor, index, incident, spans);
            cursor = client.endNanos();
            if (client.error()) {
                downstreamFailed = true;
                break;
            }
        }
        long end = cursor + (selfNanos - selfNanos / 2);
        boolean ownError = random.nextDouble() < errorRate;
        boolean error = ownError || downstreamFailed;
        int status = ownError ? 500 : downstreamFailed ? 502 : 200;
        SimulatedSpan server = new SimulatedSpan(parent, endpoint.service(), endpoint.spanName(), SpanKind.SERVER,
                endpoint.method(), endpoint.route(), null, start, end, status, error);
        spans.set(index, server);
        return server;
    }

    private SimulatedSpan call(Endpoint caller, Endpoint target, long start, int parent, Optional<Incident> incident,
            List<SimulatedSpan> spans) {
        int index = spans.size();
        spans.add(null);
        SimulatedSpan server = serve(target, start + nanos(NETWORK.sampleMillis(random)), index, incident, spans);
        long end = server.endNanos() + nanos(NETWORK.sampleMillis(random));
        SimulatedSpan client = new SimulatedSpan(parent, caller.service(), target.spanName(), SpanKind.CLIENT,
                target.method(), target.route(), target.service(), start, end, server.statusCode(), server.error());
        spans.set(index, client);
        return client;
    }

    private static long nanos(double millis) {
        return Math.max(1, Math.round(millis * NANOS_PER_MILLI));
    }
}
