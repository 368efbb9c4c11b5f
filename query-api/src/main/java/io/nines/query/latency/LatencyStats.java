package io.nines.query.latency;

import java.util.Map;

/** Events, failed events and latency quantiles in ms (null when there were no events). */
public record LatencyStats(long count, long errors, Map<String, Double> quantiles) {

    public LatencyStats {
        if (count < 0 || errors < 0) {
            throw new IllegalArgumentException("count and errors must not be negative, were " + count + ", " + errors);
        }
    }
}
