package io.nines.query.latency;

import java.time.Duration;

/** Latency of a service per step of time: one point for every step that has data. */
public record SeriesQuery(LatencyQuery latency, Duration step) {

    public static final int MAX_POINTS = 1500;
    /** A default step keeps a chart to at most this many points. */
    public static final int DEFAULT_POINTS = 300;

    private static final long MINUTE_MS = 60_000;

    public SeriesQuery {
        if (latency == null || step == null) {
            throw new IllegalArgumentException("latency and step are required, were " + latency + ", " + step);
        }
        long stepMs = step.toMillis();
        if (stepMs <= 0 || stepMs % MINUTE_MS != 0) {
            throw new InvalidQueryException("step",
                    "step must be a positive multiple of 60000 ms (whole minutes), was " + stepMs + " ms");
        }
        long points = pointsIn(latency.range(), stepMs);
        if (points > MAX_POINTS) {
            throw new InvalidQueryException("step", "step " + stepMs + " ms gives " + points
                    + " points over the range, more than the limit of " + MAX_POINTS + "; use a larger step");
        }
    }

    /** The smallest whole-minute step that keeps the range to {@link #DEFAULT_POINTS} points. */
    public static Duration defaultStep(TimeRange range) {
        long minutes = minutesIn(range);
        long stepMinutes = Math.max(1, (minutes + DEFAULT_POINTS - 1) / DEFAULT_POINTS);
        return Duration.ofMinutes(stepMinutes);
    }

    private static long pointsIn(TimeRange range, long stepMs) {
        long minutes = minutesIn(range);
        long stepMinutes = stepMs / MINUTE_MS;
        return (minutes + stepMinutes - 1) / stepMinutes;
    }

    private static long minutesIn(TimeRange range) {
        return Duration.between(range.firstMinute(), range.endMinute()).toMinutes();
    }
}
