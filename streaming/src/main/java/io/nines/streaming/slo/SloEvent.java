package io.nines.streaming.slo;

import java.util.Objects;

/**
 * One span as one SLO counts it: into which group, and whether it was good.
 *
 * @param group the groupBy attribute's value, {@code ""} for an SLO that is not grouped
 * @param endEpochMillis the span's end, its event time (kept so a late event can be reported)
 * @param durationMillis the span's duration, for the SLO's latency alert rules (quantiles over a lookback)
 */
public record SloEvent(String slo, String group, boolean good, long endEpochMillis, double durationMillis) {

    public SloEvent {
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(group, "group");
        if (!(durationMillis >= 0) || Double.isInfinite(durationMillis)) {
            throw new IllegalArgumentException("durationMillis must be a finite, non-negative number, was "
                    + durationMillis);
        }
    }
}
