package io.nines.query.latency;

import java.time.Duration;

/** Whole-minute steps over a range, shared by the queries that answer per step (series and heatmap). */
final class Steps {

    private static final long MINUTE_MS = 60_000;

    private Steps() {
    }

    /** Refuses a step that is not a positive whole number of minutes, the resolution of the stored latency. */
    static void requireWholeMinutes(Duration step) {
        long stepMs = step.toMillis();
        if (stepMs <= 0 || stepMs % MINUTE_MS != 0) {
            throw new InvalidQueryException("step",
                    "step must be a positive multiple of 60000 ms (whole minutes), was " + stepMs + " ms");
        }
    }

    /** How many steps cover the range's minutes; the last may reach past its end. */
    static long count(TimeRange range, Duration step) {
        long stepMinutes = step.toMinutes();
        return (minutes(range) + stepMinutes - 1) / stepMinutes;
    }

    /** The smallest whole-minute step that keeps the range to {@code maxSteps} steps. */
    static Duration smallestFor(TimeRange range, int maxSteps) {
        return Duration.ofMinutes(Math.max(1, (minutes(range) + maxSteps - 1) / maxSteps));
    }

    private static long minutes(TimeRange range) {
        return Duration.between(range.firstMinute(), range.endMinute()).toMinutes();
    }
}
