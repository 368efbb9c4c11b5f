package io.nines.streaming.metrics;

import io.nines.core.latency.LatencyHistogram;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Maps the buckets of an OTLP latency histogram onto {@link LatencyHistogram}'s buckets, so metrics can be
 * merged and read like spans. A source bucket only says its observations lie between its bounds, so each is
 * placed at one representative value:
 *
 * <ul>
 *   <li>explicit bucket {@code (lower, upper]}: the geometric midpoint {@code sqrt(lower * upper)}; the first
 *       bucket {@code (-inf, upper]} at {@code upper / 2}; the overflow bucket {@code (lower, +inf)} at
 *       {@code lower}, as nothing bounds it from above;
 *   <li>exponential bucket {@code index} at {@code scale}, {@code (base^index, base^(index+1)]} with
 *       {@code base = 2^(2^-scale)}: its geometric midpoint {@code base^(index + 0.5)}; the zero bucket at 0.
 * </ul>
 *
 * <p>So a quantile read from metrics is off by up to half its source bucket's width on a log scale (a factor
 * {@code sqrt(upper / lower)}, e.g. 41 % for the bucket (100, 200] ms; 4.4 % for an exponential histogram at
 * scale 3), plus {@link LatencyHistogram}'s 1 %. Only the spans give the 1 % promise.
 */
final class HistogramBuckets {

    private HistogramBuckets() {
    }

    /**
     * @param bounds the explicit bounds, ascending, in the histogram's unit
     * @param counts one more than the bounds: observations per bucket
     * @param millisPerUnit 1000 for seconds, 1 for milliseconds
     */
    static SortedMap<Integer, Long> explicit(List<Double> bounds, List<Long> counts, double millisPerUnit) {
        if (counts.size() != bounds.size() + 1) {
            throw new IllegalArgumentException("an explicit histogram needs one count more than bounds, was "
                    + counts.size() + " counts for " + bounds.size() + " bounds");
        }
        for (double bound : bounds) {
            if (!Double.isFinite(bound)) {
                throw new IllegalArgumentException("explicit bounds must be finite numbers, was " + bounds);
            }
        }
        SortedMap<Integer, Long> buckets = new TreeMap<>();
        for (int i = 0; i < counts.size(); i++) {
            long count = counts.get(i);
            if (count == 0) {
                continue;
            }
            double value;
            if (bounds.isEmpty()) {
                throw new IllegalArgumentException("a histogram without bounds says nothing about latency");
            } else if (i == 0) {
                value = bounds.get(0) / 2;
            } else if (i == bounds.size()) {
                value = bounds.get(i - 1);
            } else {
                double lower = bounds.get(i - 1);
                double upper = bounds.get(i);
                if (!(upper > lower)) {
                    throw new IllegalArgumentException("explicit bounds must ascend, was " + bounds);
                }
                value = lower > 0 ? Math.sqrt(lower * upper) : upper / 2;
            }
            add(buckets, Math.max(0, value) * millisPerUnit, count);
        }
        return buckets;
    }

    /**
     * @param offset the index of {@code counts.get(0)}
     * @param zeroCount observations in the zero bucket (at most the zero threshold: read as 0)
     */
    static SortedMap<Integer, Long> exponential(int scale, int offset, List<Long> counts, long zeroCount,
                                                double millisPerUnit) {
        if (scale < -10 || scale > 20) {
            throw new IllegalArgumentException("exponential scale must be within [-10, 20], was " + scale);
        }
        SortedMap<Integer, Long> buckets = new TreeMap<>();
        if (zeroCount != 0) {
            add(buckets, 0, zeroCount);
        }
        double exponentPerIndex = Math.scalb(1.0, -scale);
        for (int i = 0; i < counts.size(); i++) {
            long count = counts.get(i);
            if (count != 0) {
                double midpoint = Math.pow(2, ((long) offset + i + 0.5) * exponentPerIndex);
                add(buckets, midpoint * millisPerUnit, count);
            }
        }
        return buckets;
    }

    /** The observations in {@code buckets}; throws when they do not fit a 64-bit count. */
    static long total(Map<Integer, Long> buckets) {
        long total = 0;
        for (long count : buckets.values()) {
            total = exactSum(total, count);
        }
        return total;
    }

    private static void add(SortedMap<Integer, Long> buckets, double millis, long count) {
        // OTLP counts are unsigned 64-bit: one of 2^63 or more arrives here as a negative long
        if (count < 0) {
            throw new IllegalArgumentException("bucket counts must be below 2^63, was " + Long.toUnsignedString(count));
        }
        // Two source buckets may share one LatencyHistogram bucket; their sum must still be a count.
        buckets.merge(LatencyHistogram.bucketOf(millis), count, HistogramBuckets::exactSum);
    }

    private static long exactSum(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("bucket counts add up to more than a 64-bit count (" + a + " + " + b
                    + ")", e);
        }
    }
}
