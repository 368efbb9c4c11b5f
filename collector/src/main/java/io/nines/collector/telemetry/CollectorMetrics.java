package io.nines.collector.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nines.collector.pipeline.Rejection;
import io.nines.collector.pipeline.Signal;
import java.util.Map;
import java.util.Objects;

/**
 * Counts what the receivers accept, reject and refuse, by signal, transport and reason:
 * {@code nines_collector_requests_total}, {@code nines_collector_spans_total},
 * {@code nines_collector_metric_points_total}, {@code nines_collector_log_records_total} and
 * {@code nines_collector_received_bytes_total}. Accepted items are in Kafka; rejected ones were invalid
 * and left out of an accepted request (partial success); refused ones belong to a request that was
 * answered with an error, which the client may retry.
 */
public final class CollectorMetrics {

    private static final String PREFIX = "nines.collector.";
    private static final String ACCEPTED = "accepted";
    private static final String REJECTED = "rejected";
    private static final String REFUSED = "refused";
    private static final String NO_REASON = "none";

    private final MeterRegistry registry;

    public CollectorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Makes the accepted series visible at zero from startup, so rates are defined before the first request. */
    public void register(Signal signal, String transport) {
        requests(signal.tag(), transport, ACCEPTED, NO_REASON);
        items(signal, transport, ACCEPTED, NO_REASON);
        bytes(signal, transport);
    }

    public void received(Signal signal, String transport, long bytes) {
        bytes(signal, transport).increment(bytes);
    }

    /** An answered-200 request: its valid items are in Kafka, its invalid ones were left out. */
    public void accepted(Signal signal, String transport, int items, Map<Rejection, Integer> rejections) {
        requests(signal.tag(), transport, ACCEPTED, NO_REASON).increment();
        items(signal, transport, ACCEPTED, NO_REASON).increment(items);
        rejections.forEach((reason, count) -> items(signal, transport, REJECTED, reason.tag()).increment(count));
    }

    /** A request refused before its items could be counted (unreadable, too large, no token, no capacity). */
    public void refusedRequest(Signal signal, String transport, Refusal reason) {
        requests(signal.tag(), transport, REFUSED, reason.tag()).increment();
    }

    /** A decoded request that was refused as a whole. */
    public void refusedItems(Signal signal, String transport, Refusal reason, int items) {
        refusedRequest(signal, transport, reason);
        items(signal, transport, REFUSED, reason.tag()).increment(items);
    }

    /** A request for no known signal: wrong path or method. */
    public void refusedOther(String transport, Refusal reason) {
        requests("none", transport, REFUSED, reason.tag()).increment();
    }

    private Counter requests(String signal, String transport, String outcome, String reason) {
        return Counter.builder(PREFIX + "requests")
                .description("OTLP export requests received")
                .tags("signal", signal, "transport", transport, "outcome", outcome, "reason", reason)
                .register(registry);
    }

    private Counter items(Signal signal, String transport, String outcome, String reason) {
        return Counter.builder(PREFIX + signal.itemsMetric())
                .description(signal.items() + " received in OTLP export requests")
                .tags("transport", transport, "outcome", outcome, "reason", reason)
                .register(registry);
    }

    private Counter bytes(Signal signal, String transport) {
        return Counter.builder(PREFIX + "received.bytes")
                .description("OTLP request bytes after decompression")
                .baseUnit("bytes")
                .tags("signal", signal.tag(), "transport", transport)
                .register(registry);
    }
}
