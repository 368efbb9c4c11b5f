package io.nines.collector.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The latest timestamp the collector believes: now plus the clock skew it tolerates. Later data would
 * open minutes that do not exist yet and hold the streaming job's watermark hostage.
 */
final class Horizon {

    private final InstantSource clock;
    private final long skewNanos;

    Horizon(InstantSource clock, Duration maxFutureSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative but was " + maxFutureSkew);
        }
        this.skewNanos = maxFutureSkew.toNanos();
    }

    /** Epoch nanoseconds; OTLP times are unsigned, so callers compare with {@link Long#compareUnsigned}. */
    long latestNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano() + skewNanos;
    }

    static boolean after(long unixNanos, long latest) {
        return Long.compareUnsigned(unixNanos, latest) > 0;
    }
}
