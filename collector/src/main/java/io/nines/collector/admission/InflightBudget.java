package io.nines.collector.admission;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What both receivers may hold at once: at most {@code maxRequests} requests between arrival and answer,
 * and at most {@code maxBytes} of their decompressed bodies. A request that does not fit is refused at
 * once (never queued), so memory stays bounded however hard clients push.
 */
public final class InflightBudget {

    private final long maxBytes;
    private final Bulkhead requests;
    private final AtomicLong bytes = new AtomicLong();

    public InflightBudget(long maxBytes, int maxRequests, MeterRegistry registry) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive but was " + maxBytes);
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests must be positive but was " + maxRequests);
        }
        this.maxBytes = maxBytes;
        this.requests = Bulkhead.of("otlp-requests", BulkheadConfig.custom()
                .maxConcurrentCalls(maxRequests).maxWaitDuration(Duration.ZERO).build());
        Gauge.builder("nines.collector.inflight.bytes", bytes, AtomicLong::get).baseUnit("bytes")
                .description("Decompressed request bytes held between arrival and answer").register(registry);
        Gauge.builder("nines.collector.inflight.bytes.limit", () -> maxBytes).baseUnit("bytes")
                .description("The in-flight byte budget").register(registry);
        Gauge.builder("nines.collector.inflight.requests", requests,
                        b -> maxRequests - b.getMetrics().getAvailableConcurrentCalls())
                .description("Requests between arrival and answer").register(registry);
        Gauge.builder("nines.collector.inflight.requests.limit", () -> maxRequests)
                .description("The in-flight request budget").register(registry);
    }

    /** A slot for one request, or empty when all are taken. */
    public Optional<Lease> admit() {
        return requests.tryAcquirePermission() ? Optional.of(new Lease()) : Optional.empty();
    }

    long bytesInUse() {
        return bytes.get();
    }

    /** One request's share of the budget; closing it gives everything back, once. */
    public final class Lease implements AutoCloseable {

        private final AtomicBoolean open = new AtomicBoolean(true);
        private long reserved;

        private Lease() {}

        /** Takes {@code more} bytes for this request; false, taking nothing, when the budget cannot spare them. */
        public boolean reserve(long more) {
            if (more < 0) {
                throw new IllegalArgumentException("more must be >= 0 but was " + more);
            }
            while (true) {
                long used = bytes.get();
                if (used + more > maxBytes) {
                    return false;
                }
                if (bytes.compareAndSet(used, used + more)) {
                    synchronized (this) {
                        reserved += more;
                    }
                    return true;
                }
            }
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                synchronized (this) {
                    bytes.addAndGet(-reserved);
                    reserved = 0;
                }
                requests.onComplete();
            }
        }
    }
}
