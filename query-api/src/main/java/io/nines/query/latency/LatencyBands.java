package io.nines.query.latency;

import io.nines.core.latency.LatencyHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * Display bands of a heatmap: runs of {@code width} consecutive 1 % buckets, aligned to multiples of the width so
 * that a band's bounds do not move when the data's extent shifts by a bucket, plus a band of its own for the zero
 * bucket (latencies under 1 microsecond) when it holds spans. The width is the smallest that fits the data's buckets
 * into the band limit: every bucket falls in exactly one band, so the bands account for every span.
 *
 * @param first the first bucket of band {@code 0} (after the zero band, when there is one)
 * @param count how many bucket bands, zero band excluded
 */
public record LatencyBands(boolean zeroBand, long first, int width, int count) {

    /** Lower and upper latency bound in ms of one band; a span in it took at least lower and at most upper. */
    public record Band(double lowerMs, double upperMs) {}

    static final LatencyBands NONE = new LatencyBands(false, 0, 1, 0);

    /**
     * @param lowest lowest non-zero bucket with spans, {@code highest} the highest; ignored when {@code count} of
     *     them is zero
     * @param hasZero whether the zero bucket holds spans
     * @param limit how many bands the answer may hold in all, at least 2
     */
    static LatencyBands covering(int lowest, int highest, boolean hasBuckets, boolean hasZero, int limit) {
        if (!hasBuckets) {
            return hasZero ? new LatencyBands(true, 0, 1, 0) : NONE;
        }
        int available = hasZero ? limit - 1 : limit;
        long span = (long) highest - lowest + 1;
        if (available == 1) {
            return new LatencyBands(hasZero, lowest, (int) span, 1);
        }
        // Aligned bands of width w over [lowest, highest] number at most ceil((span - 1) / w) + 1: with
        // w >= span / (available - 1) that is at most available.
        int width = (int) Math.max(1, ceilDiv(span, available - 1));
        long first = Math.floorDiv((long) lowest, width) * width;
        int count = (int) (Math.floorDiv((long) highest, width) - Math.floorDiv((long) lowest, width) + 1);
        return new LatencyBands(hasZero, first, width, count);
    }

    /** Every band, lowest latency first: the zero band, then the bucket bands. */
    public List<Band> bands() {
        List<Band> bands = new ArrayList<>();
        if (zeroBand) {
            bands.add(new Band(0, LatencyHistogram.upperBoundMillis(LatencyHistogram.ZERO_BUCKET)));
        }
        for (int i = 0; i < count; i++) {
            long start = first + (long) i * width;
            bands.add(new Band(LatencyHistogram.lowerBoundMillis((int) start),
                    LatencyHistogram.upperBoundMillis((int) (start + width - 1))));
        }
        return bands;
    }

    /** The row of a band index as the repository computes it: -1 for the zero bucket, else from {@code first}. */
    int row(long band) {
        return band < 0 ? 0 : (int) band + (zeroBand ? 1 : 0);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
