package io.nines.infra.demo;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.random.RandomGenerator;

/** Trace and span ids from the run's seed, so that a run with the same seed sends the same ids. */
final class SeededIds implements IdGenerator {

    private final RandomGenerator random;

    SeededIds(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public synchronized String generateSpanId() {
        long id;
        do {
            id = random.nextLong();
        } while (id == 0);
        return SpanId.fromLong(id);
    }

    @Override
    public synchronized String generateTraceId() {
        long high;
        long low;
        do {
            high = random.nextLong();
            low = random.nextLong();
        } while (high == 0 && low == 0);
        return TraceId.fromLongs(high, low);
    }
}
