package io.nines.streaming.otlp;

import java.util.Map;
import java.util.Objects;

/**
 * What the job keeps of an entry span: who served it, how long it took, whether it failed, when the
 * caller saw the outcome (its end, in epoch milliseconds: the event time), and when the record carrying it
 * reached Kafka (the record's timestamp: what late and future spans are judged and reported by).
 *
 * @param durationNanos the exact duration, so SLO thresholds compare exactly (see {@link #durationMillis()})
 * @param attributes the span's attributes over its resource's, as text, that SLO selectors and groupBy may
 *     name; {@link SpanDecoder} keeps them bounded
 */
public record SpanEvent(String service, String operation, long endEpochMillis, long durationNanos,
                        boolean error, long arrivalEpochMillis, Map<String, String> attributes) {

    /** The attribute OpenTelemetry's HTTP conventions put the matched route template in. */
    public static final String HTTP_ROUTE = "http.route";

    public SpanEvent {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        if (durationNanos < 0) {
            throw new IllegalArgumentException("durationNanos must not be negative, was " + durationNanos);
        }
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }

    public SpanEvent(String service, String operation, long endEpochMillis, double durationMillis, boolean error,
                     long arrivalEpochMillis) {
        this(service, operation, endEpochMillis, nanos(durationMillis), error, arrivalEpochMillis, Map.of());
    }

    /** A span whose arrival is unknown, taken as its end: it can be late, never from the future. */
    public SpanEvent(String service, String operation, long endEpochMillis, double durationMillis, boolean error) {
        this(service, operation, endEpochMillis, durationMillis, error, endEpochMillis);
    }

    /**
     * The duration in milliseconds, the nanoseconds divided once and correctly rounded. A threshold written
     * with up to six decimals (nanosecond resolution) parses to the same rounding of the same quotient, so
     * {@code durationMillis() <= threshold} is exact for spans under 52 days: 287_000_000 ns is 287.0 and
     * 287_000_001 ns is above it.
     */
    public double durationMillis() {
        return durationNanos / 1e6;
    }

    /** The route the span served ({@code http.route}), when it carries one. */
    public String route() {
        return attributes.get(HTTP_ROUTE);
    }

    private static long nanos(double millis) {
        if (!(millis >= 0) || Double.isInfinite(millis)) {
            throw new IllegalArgumentException("durationMillis must be a finite, non-negative number, was " + millis);
        }
        return Math.round(millis * 1e6);
    }
}
