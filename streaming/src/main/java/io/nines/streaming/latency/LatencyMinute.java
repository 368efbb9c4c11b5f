package io.nines.streaming.latency;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything known so far about one operation in one minute of event time. Each emission is the whole
 * minute, never a delta, so the row with the highest {@link #version()} is the truth.
 *
 * @param minuteEpochMillis start of the minute (UTC), in epoch milliseconds
 * @param buckets {@link io.nines.core.latency.LatencyHistogram} bucket to count
 */
public record LatencyMinute(String service, String operation, long minuteEpochMillis, long count, long errors,
                            double sumMillis, Map<Integer, Long> buckets) {

    public LatencyMinute {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        // Sorted, so the insert and its deduplication token do not depend on how a map came to be built
        // (Flink deserializes maps as HashMaps); declared as Map because Flink has a serializer for that.
        buckets = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(buckets, "buckets")));
        if (minuteEpochMillis % 60_000 != 0) {
            throw new IllegalArgumentException("minuteEpochMillis must start a minute, was " + minuteEpochMillis);
        }
        if (count < 0 || errors < 0 || errors > count) {
            throw new IllegalArgumentException(
                    "need 0 <= errors <= count, was errors " + errors + " and count " + count);
        }
    }

    /**
     * Grows with every event folded into the minute, so a newer emission replaces an older one. Only safe
     * because a purged minute is never opened again, not even after a restore (see
     * {@link io.nines.streaming.late.RouteLateAfterRestore}): a re-opened one would start counting from zero.
     */
    public long version() {
        return count;
    }
}
