package io.nines.streaming.late;

import io.nines.streaming.otlp.SpanEvent;
import java.util.Locale;
import java.util.Objects;

/**
 * An entry span the latency minutes do not count, with why: one row of {@code late_events}.
 *
 * @param minuteEpochMillis start of the minute the span belongs to by its end time
 * @param arrivalEpochMillis when the record carrying it reached Kafka (the record's timestamp)
 */
public record LateSpan(String service, String operation, long endEpochMillis, double durationMillis, boolean error,
                       long minuteEpochMillis, long arrivalEpochMillis, Reason reason) {

    /** Why a span was not counted; {@link #column()} is what {@code late_events.reason} holds. */
    public enum Reason {
        /** It ended in a minute that had closed longer than the allowed lateness before it arrived. */
        LATE,
        /** It ended more than the allowed clock skew after it arrived, so its clock is not to be trusted. */
        FUTURE;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public LateSpan {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(reason, "reason");
        if (minuteEpochMillis != Math.floorDiv(endEpochMillis, 60_000L) * 60_000L) {
            throw new IllegalArgumentException("minuteEpochMillis must be the start of the minute of "
                    + endEpochMillis + ", was " + minuteEpochMillis);
        }
        if (!(durationMillis >= 0) || Double.isInfinite(durationMillis)) {
            throw new IllegalArgumentException(
                    "durationMillis must be a finite, non-negative number, was " + durationMillis);
        }
    }

    /** The span set aside for {@code reason}. */
    public static LateSpan of(SpanEvent span, Reason reason) {
        return new LateSpan(span.service(), span.operation(), span.endEpochMillis(), span.durationMillis(),
                span.error(), Math.floorDiv(span.endEpochMillis(), 60_000L) * 60_000L, span.arrivalEpochMillis(),
                reason);
    }
}
