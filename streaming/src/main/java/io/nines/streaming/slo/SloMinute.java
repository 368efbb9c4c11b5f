package io.nines.streaming.slo;

import java.util.Objects;

/**
 * Everything known so far about one SLO group's minute of event time. Each emission is the whole minute,
 * never a delta, so the row with the highest {@link #version()} is the truth.
 *
 * @param group the groupBy attribute's value, {@code ""} for an SLO that is not grouped
 * @param minuteEpochMillis start of the minute (UTC), in epoch milliseconds
 */
public record SloMinute(String slo, String group, long minuteEpochMillis, long good, long total) {

    public SloMinute {
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(group, "group");
        if (minuteEpochMillis % 60_000 != 0) {
            throw new IllegalArgumentException("minuteEpochMillis must start a minute, was " + minuteEpochMillis);
        }
        if (good < 0 || total < 0 || good > total) {
            throw new IllegalArgumentException("need 0 <= good <= total, was good " + good + " and total " + total);
        }
    }

    /** Grows with every event folded into the minute, so a newer emission replaces an older one. */
    public long version() {
        return total;
    }
}
