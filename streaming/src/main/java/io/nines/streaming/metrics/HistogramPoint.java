package io.nines.streaming.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One data point of an OTLP latency histogram, its buckets already mapped onto {@code LatencyHistogram}'s.
 *
 * @param series what identifies the point's time series (resource, metric and attributes), for
 *     cumulative-to-delta conversion
 * @param operation {@code "{http.request.method} {http.route}"} as in span names, or what of it is known
 * @param cumulative whether the counts run since {@code startNanos} (else they cover one interval only)
 * @param error whether the series counts failed requests ({@code http.response.status_code} >= 500)
 * @param buckets {@code LatencyHistogram} bucket to count
 */
public record HistogramPoint(String series, String metric, String service, String operation, long startNanos,
                             long timeNanos, boolean cumulative, boolean error, long count, double sumMillis,
                             Map<Integer, Long> buckets) {

    public HistogramPoint {
        Objects.requireNonNull(series, "series");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        buckets = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(buckets, "buckets")));
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (timeNanos <= 0) {
            throw new IllegalArgumentException("timeNanos must be positive, was " + timeNanos);
        }
    }

    /** The point's time (the end of the interval it covers) in epoch milliseconds: its event time. */
    public long timeEpochMillis() {
        return Math.floorDiv(timeNanos, 1_000_000L);
    }

    /** This point's counts as the increase since {@code previous}, or null when any count went down. */
    HistogramPoint minus(HistogramPoint previous) {
        Map<Integer, Long> delta = new TreeMap<>();
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            long increase = bucket.getValue() - previous.buckets.getOrDefault(bucket.getKey(), 0L);
            if (increase < 0) {
                return null;
            }
            if (increase > 0) {
                delta.put(bucket.getKey(), increase);
            }
        }
        for (Integer bucket : previous.buckets.keySet()) {
            if (!buckets.containsKey(bucket)) {
                return null;
            }
        }
        if (count < previous.count) {
            return null;
        }
        return new HistogramPoint(series, metric, service, operation, previous.timeNanos, timeNanos, false, error,
                count - previous.count, Math.max(0, sumMillis - previous.sumMillis), delta);
    }
}
