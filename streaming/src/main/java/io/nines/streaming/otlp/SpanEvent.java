package io.nines.streaming.otlp;

import java.util.Objects;

/**
 * What the job keeps of an entry span: who served it, how long it took, whether it failed, and when the
 * caller saw the outcome (its end, in epoch milliseconds: the event time).
 */
public record SpanEvent(String service, String operation, long endEpochMillis, double durationMillis,
                        boolean error) {

    public SpanEvent {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        if (!(durationMillis >= 0) || Double.isInfinite(durationMillis)) {
            throw new IllegalArgumentException(
                    "durationMillis must be a finite, non-negative number, was " + durationMillis);
        }
    }
}
