package io.nines.streaming.late;

import io.nines.streaming.metrics.HistogramPoint;
import java.util.Objects;

/**
 * A latency histogram point (in delta form) that the metric minutes do not count, with why and when it was
 * set aside: one row of {@code late_metric_points}.
 *
 * @param setAsideEpochMillis when the job set it aside (processing time); not part of what identifies it, so
 *     a copy set aside again after a replay collapses into the first
 */
public record LatePoint(HistogramPoint point, long setAsideEpochMillis, LateSpan.Reason reason) {

    public LatePoint {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(reason, "reason");
        if (setAsideEpochMillis < 0) {
            throw new IllegalArgumentException("setAsideEpochMillis must not be negative, was " + setAsideEpochMillis);
        }
    }

    /** Start of the minute (UTC) the point belongs to by its time. */
    public long minuteEpochMillis() {
        return Math.floorDiv(point.timeEpochMillis(), 60_000L) * 60_000L;
    }
}
