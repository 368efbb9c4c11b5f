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

    private static final long MINUTE_MS = 60_000;

    public HeatmapQuery {
        if (latency == null || step == null) {
            throw new IllegalArgumentException("latency and step are required, were " + latency + ", " + step);
        }
        long stepMs = step.toMillis();
        if (stepMs <= 0 || stepMs % MINUTE_MS != 0) {
            throw new InvalidQueryException("step",
                    "step must be a positive multiple of 60000 ms (whole minutes), was " + stepMs + " ms");
        }
        long steps = steps(latency.range(), step);
        if (steps > MAX_STEPS) {
            throw new InvalidQueryException("step", "step " + stepMs + " ms gives " + steps
                    + " steps over the range, more than the heatmap's limit of " + MAX_STEPS + "; use a larger step");
        }
        if (bands < MIN_BANDS || bands > MAX_BANDS) {
            throw new InvalidQueryException("bands",
                    "bands must be within [" + MIN_BANDS + ", " + MAX_BANDS + "], was " + bands);
        }
    }

    /** The smallest whole-minute step that keeps the range to {@link #DEFAULT_STEPS} steps. */
    public static Duration defaultStep(TimeRange range) {
        long minutes = Duration.between(range.firstMinute(), range.endMinute()).toMinutes();
        return Duration.ofMinutes(Math.max(1, (minutes + DEFAULT_STEPS - 1) / DEFAULT_STEPS));
    }

    /** How many steps cover the range's minutes; the last may reach past its end. */
    public long steps() {
        return steps(latency.range(), step);
    }

    private static long steps(TimeRange range, Duration step) {
        long minutes = Duration.between(range.firstMinute(), range.endMinute()).toMinutes();
        long stepMinutes = step.toMinutes();
        return (minutes + stepMinutes - 1) / stepMinutes;
    }
}
