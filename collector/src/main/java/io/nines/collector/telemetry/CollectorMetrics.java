package io.nines.collector.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Counts what the receivers accept and refuse: {@code nines_collector_requests_total} and
 * {@code nines_collector_spans_total}, tagged by signal, transport, outcome and reason.
 */
public final class CollectorMetrics {

    private static final String REQUESTS = "nines.collector.requests";
    private static final String SPANS = "nines.collector.spans";
    private static final String ACCEPTED = "accepted";
    private static final String REFUSED = "refused";
    private static final String NO_REASON = "none";

    private final MeterRegistry registry;

    public CollectorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Makes the accepted series visible at zero from startup, so rates are defined before the first request. */
    public void register(String signal, String transport) {
        requests(signal, transport, ACCEPTED, NO_REASON);
        if ("traces".equals(signal)) {
            spans(transport, ACCEPTED, NO_REASON);
        }
    }

    public void acceptedSpans(String transport, int spans) {
        requests("traces", transport, ACCEPTED, NO_REASON).increment();
        spans(transport, ACCEPTED, NO_REASON).increment(spans);
    }

    /** A trace request refused before its spans could be counted (unreadable, too large, wrong type). */
    public void refusedTraceRequest(String transport, Refusal reason) {
        requests("traces", transport, REFUSED, reason.tag()).increment();
    }

    /** A decoded trace request that the sink did not take. */
    public void refusedSpans(String transport, Refusal reason, int spans) {
        refusedTraceRequest(transport, reason);
        spans(transport, REFUSED, reason.tag()).increment(spans);
    }

    /** A request for no known signal: wrong path or method. */
    public void refusedOther(String transport, Refusal reason) {
        requests("none", transport, REFUSED, reason.tag()).increment();
    }

    private Counter requests(String signal, String transport, String outcome, String reason) {
        return Counter.builder(REQUESTS)
                .description("OTLP export requests received")
                .tags("signal", signal, "transport", transport, "outcome", outcome, "reason", reason)
                .register(registry);
    }

    private Counter spans(String transport, String outcome, String reason) {
        return Counter.builder(SPANS)
                .description("Spans received in OTLP export requests")
                .tags("transport", transport, "outcome", outcome, "reason", reason)
                .register(registry);
    }
}
