package io.nines.query.latency;

import java.time.Duration;

/**
 * Latency of a service as a heatmap: span counts per step of time and per latency band. The answer holds at most
 * {@link #MAX_STEPS} steps of at most {@code bands} bands, whatever the range, so it stays small.
 */
public record HeatmapQuery(LatencyQuery latency, Duration step, int bands) {

    /** Fewer steps than a series: each step is a column of up to {@link #MAX_BANDS} cells. */
    public static final int MAX_STEPS = 500;
    /** A default step keeps a heatmap to at most this many columns. */
    public static final int DEFAULT_STEPS = 120;
    public static final int MIN_BANDS = 2;
    public static final int MAX_BANDS = 40;
    public static final int DEFAULT_BANDS = 30;

    public HeatmapQuery {
        if (latency == null || step == null) {
            throw new IllegalArgumentException("latency and step are required, were " + latency + ", " + step);
        }
        Steps.requireWholeMinutes(step);
        long steps = Steps.count(latency.range(), step);
        if (steps > MAX_STEPS) {
            throw new InvalidQueryException("step", "step " + step.toMillis() + " ms gives " + steps
                    + " steps over the range, more than the heatmap's limit of " + MAX_STEPS + "; use a larger step");
        }
        if (bands < MIN_BANDS || bands > MAX_BANDS) {
            throw new InvalidQueryException("bands",
                    "bands must be within [" + MIN_BANDS + ", " + MAX_BANDS + "], was " + bands);
        }
    }

    /** The smallest whole-minute step that keeps the range to {@link #DEFAULT_STEPS} steps. */
    public static Duration defaultStep(TimeRange range) {
        return Steps.smallestFor(range, DEFAULT_STEPS);
    }

    /** How many steps cover the range's minutes; the last may reach past its end. */
    public long steps() {
        return Steps.count(latency.range(), step);
    }
}
