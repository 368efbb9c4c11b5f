package io.nines.query.latency;

import java.time.Duration;

/** Latency of a service per step of time: one point for every step that has data. */
public record SeriesQuery(LatencyQuery latency, Duration step) {

    public static final int MAX_POINTS = 1500;
    /** A default step keeps a chart to at most this many points. */
    public static final int DEFAULT_POINTS = 300;

    public SeriesQuery {
        if (latency == null || step == null) {
            throw new IllegalArgumentException("latency and step are required, were " + latency + ", " + step);
        }
        Steps.requireWholeMinutes(step);
        long points = Steps.count(latency.range(), step);
        if (points > MAX_POINTS) {
            throw new InvalidQueryException("step", "step " + step.toMillis() + " ms gives " + points
                    + " points over the range, more than the limit of " + MAX_POINTS + "; use a larger step");
        }
    }

    /** The smallest whole-minute step that keeps the range to {@link #DEFAULT_POINTS} points. */
    public static Duration defaultStep(TimeRange range) {
        return Steps.smallestFor(range, DEFAULT_POINTS);
    }
}
