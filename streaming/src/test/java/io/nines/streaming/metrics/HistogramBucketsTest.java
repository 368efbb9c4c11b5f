package io.nines.streaming.metrics;

import static io.nines.core.latency.LatencyHistogram.bucketOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nines.core.latency.LatencyHistogram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HistogramBucketsTest {

    @Test
    void placesExplicitBucketsInSecondsAtTheirGeometricMidpointsInMilliseconds() {
        // http.server.request.duration's default bounds, in seconds
        List<Double> bounds = List.of(0.005, 0.01, 0.025, 0.05, 0.1);

        assertThat(HistogramBuckets.explicit(bounds, List.of(1L, 2L, 0L, 4L, 5L, 6L), 1000))
                .isEqualTo(new TreeMap<>(Map.of(
                        bucketOf(2.5), 1L,
                        bucketOf(Math.sqrt(5.0 * 10.0)), 2L,
                        bucketOf(Math.sqrt(25.0 * 50.0)), 4L,
                        bucketOf(Math.sqrt(50.0 * 100.0)), 5L,
                        bucketOf(100.0), 6L)));
    }

    @Test
    void readsMillisecondBoundsStartingAtZeroAsTheZeroBucketThenHalfTheFirstUpperBound() {
        // http.server.duration's legacy default bounds, in milliseconds
        List<Double> bounds = List.of(0.0, 5.0, 10.0);

        assertThat(HistogramBuckets.explicit(bounds, List.of(3L, 4L, 5L, 6L), 1))
                .isEqualTo(new TreeMap<>(Map.of(
                        LatencyHistogram.ZERO_BUCKET, 3L,
                        bucketOf(2.5), 4L,
                        bucketOf(Math.sqrt(50.0)), 5L,
                        bucketOf(10.0), 6L)));
    }

    @Test
    void rejectsCountsThatDoNotMatchTheBoundsAndBoundsThatDoNotAscend() {
        assertThatThrownBy(() -> HistogramBuckets.explicit(List.of(1.0, 2.0), List.of(1L, 2L), 1))
                .hasMessageContaining("one count more than bounds, was 2 counts for 2 bounds");
        assertThatThrownBy(() -> HistogramBuckets.explicit(List.of(2.0, 1.0), List.of(1L, 2L, 3L), 1))
                .hasMessageContaining("must ascend");
        assertThatThrownBy(() -> HistogramBuckets.exponential(21, 0, List.of(1L), 0, 1))
                .hasMessageContaining("within [-10, 20], was 21");
    }

    @Test
    void placesExponentialBucketsAtTheirGeometricMidpointsAndTheZeroBucketAtZero() {
        // scale 0: base 2, bucket i is (2^i, 2^(i+1)]; offset 3 makes the first one (8, 16] seconds
        assertThat(HistogramBuckets.exponential(0, 3, List.of(7L, 0L, 9L), 2, 1000))
                .isEqualTo(new TreeMap<>(Map.of(
                        LatencyHistogram.ZERO_BUCKET, 2L,
                        bucketOf(Math.sqrt(8.0 * 16.0) * 1000), 7L,
                        bucketOf(Math.sqrt(32.0 * 64.0) * 1000), 9L)));
    }

    @Test
    void keepsQuantilesOfAnExponentialHistogramWithinHalfABucketPlusOnePercent() {
        int scale = 3;
        double base = Math.pow(2, Math.scalb(1.0, -scale));
        SplittableRandom random = new SplittableRandom(2026);
        double[] values = new double[100_000];
        TreeMap<Integer, Long> indices = new TreeMap<>();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(Math.log(50) + random.nextGaussian());
            // As the OTel SDK maps a value: the bucket (base^index, base^(index+1)] holding it.
            int index = (int) Math.ceil(Math.log(values[i]) / Math.log(base)) - 1;
            indices.merge(index, 1L, Long::sum);
        }
        int offset = indices.firstKey();
        List<Long> counts = new ArrayList<>();
        for (int index = offset; index <= indices.lastKey(); index++) {
            counts.add(indices.getOrDefault(index, 0L));
        }

        LatencyHistogram histogram = LatencyHistogram.fromBuckets(
                HistogramBuckets.exponential(scale, offset, counts, 0, 1));

        Arrays.sort(values);
        double bound = Math.sqrt(base) * (1 + LatencyHistogram.RELATIVE_ACCURACY) - 1;
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            double exact = values[(int) Math.floor(q * (values.length - 1))];
            assertThat(Math.abs(histogram.quantile(q) - exact) / exact).as("p%s", q * 100).isLessThan(bound);
        }
        assertThat(bound).as("the documented bound at scale 3").isBetween(0.054, 0.055);
    }
}
