package io.nines.streaming.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything known so far about one operation's latency metric in one minute: one row of
 * {@code metric_latency_minute}. Like {@code LatencyMinute}, each emission is the whole minute.
 *
 * @param minuteEpochMillis start of the minute (UTC) in which the points' intervals ended
 * @param buckets {@code LatencyHistogram} bucket to count
 */
public record MetricLatencyMinute(String service, String operation, String metric, long minuteEpochMillis,
                                  long count, long errors, double sumMillis, Map<Integer, Long> buckets) {

    public MetricLatencyMinute {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(metric, "metric");
        buckets = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(buckets, "buckets")));
        if (minuteEpochMillis % 60_000 != 0) {
            throw new IllegalArgumentException("minuteEpochMillis must start a minute, was " + minuteEpochMillis);
        }
        if (count < 0 || errors < 0 || errors > count) {
            throw new IllegalArgumentException(
                    "need 0 <= errors <= count, was errors " + errors + " and count " + count);
        }
    }

    /** Grows with every observation folded into the minute, so a newer emission replaces an older one. */
    public long version() {
        return count;
    }
}
