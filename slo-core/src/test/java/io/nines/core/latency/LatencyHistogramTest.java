package io.nines.core.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LatencyHistogramTest {

  private static final double[] QUANTILES = {0, 0.5, 0.9, 0.99, 0.999, 1};

  @Test
  void answersEveryQuantileWithinOnePercentOfExactOverMicrosecondsToAnHour() {
    Random random = new Random(42);
    double[] values = new double[200_000];
    LatencyHistogram histogram = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      // log-uniform over 1 µs .. 1 h: every decade of the guaranteed range gets the same weight
      values[i] = Math.exp(Math.log(0.001) + random.nextDouble() * Math.log(3_600_000 / 0.001));
      histogram.record(values[i]);
    }
    assertWithinOnePercent(histogram, values);
  }

  @Test
  void mergedHistogramsAnswerAsIfAllValuesWereRecordedInOne() {
    Random random = new Random(7);
    double[] values = new double[60_000];
    LatencyHistogram[] minutes = new LatencyHistogram[60];
    for (int m = 0; m < minutes.length; m++) {
      minutes[m] = new LatencyHistogram();
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(4 + random.nextGaussian() * (i % 2 == 0 ? 0.3 : 1.2));
      minutes[i % 60].record(values[i]);
    }
    LatencyHistogram merged = new LatencyHistogram();
    for (LatencyHistogram minute : minutes) {
      merged.merge(minute);
    }
    assertThat(merged.count()).isEqualTo(values.length);
    assertWithinOnePercent(merged, values);
  }

  /** The latency shapes the benchmarks report on (docs/benchmarks.md), seeded so a failure reproduces. */
  enum Shape {
    LOGNORMAL(r -> () -> 50 * Math.exp(r.nextGaussian())),
    PARETO(r -> () -> 5 / Math.pow(1 - r.nextDouble(), 1 / 1.5)),
    BIMODAL(r -> () -> r.nextDouble() < 0.9 ? 2 * Math.exp(0.3 * r.nextGaussian()) : 120 * Math.exp(0.5 * r.nextGaussian()));

    private final Function<Random, DoubleSupplier> latencies;

    Shape(Function<Random, DoubleSupplier> latencies) {
      this.latencies = latencies;
    }
  }

  /**
   * A week of minutes, each stored as ClickHouse keeps it (its bucket map) and read back, merged as a query over
   * 7 days does: every quantile from p0 to p100 in 0.1 % steps stays within 1 % of the exact value.
   */
  @ParameterizedTest
  @EnumSource(Shape.class)
  void aWeekOfStoredMinutesMergedAnswersEveryQuantileWithinOnePercent(Shape shape) {
    DoubleSupplier latency = shape.latencies.apply(new Random(2026));
    int minutes = 7 * 24 * 60;
    double[] values = new double[minutes * 20];
    LatencyHistogram week = new LatencyHistogram();
    for (int m = 0; m < minutes; m++) {
      LatencyHistogram minute = new LatencyHistogram();
      for (int i = 0; i < 20; i++) {
        values[m * 20 + i] = latency.getAsDouble();
        minute.record(values[m * 20 + i]);
      }
      week.merge(LatencyHistogram.fromBuckets(minute.buckets()));
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertThat(week.count()).isEqualTo(values.length);
    for (int permille = 0; permille <= 1000; permille++) {
      double q = permille / 1000.0;
      double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      // the bound is tight at bucket edges; floating point may overshoot it by ~1e-16 relative
      assertThat(week.quantile(q)).as("%s p%s", shape, q * 100)
          .isCloseTo(exact, within(exact * (LatencyHistogram.RELATIVE_ACCURACY + 1e-12)));
    }
  }

  @Test
  void storedBucketsRebuildTheSameHistogram() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (double v : new double[] {0, 0.0004, 0.5, 1, 1, 287, 287.0001, 3_599_999}) {
      histogram.record(v);
    }
    LatencyHistogram rebuilt = LatencyHistogram.fromBuckets(histogram.buckets());
    assertThat(rebuilt.buckets()).isEqualTo(histogram.buckets());
    assertThat(rebuilt.count()).isEqualTo(8);
    for (double q : QUANTILES) {
      assertThat(rebuilt.quantile(q)).isEqualTo(histogram.quantile(q));
    }
  }

  @Test
  void keepsSubMicrosecondLatenciesInTheZeroBucket() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(0);
    histogram.record(0.0009);
    histogram.record(10);
    assertThat(histogram.buckets()).containsEntry(LatencyHistogram.ZERO_BUCKET, 2L);
    assertThat(histogram.quantile(0.5)).isZero();
    assertThat(histogram.quantile(1)).isCloseTo(10, within(0.1));
  }

  @Test
  void bucketBoundsContainTheirValues() {
    for (double v : new double[] {0.001, 0.37, 1, 287, 1000, 3_600_000}) {
      int bucket = LatencyHistogram.bucketOf(v);
      assertThat(LatencyHistogram.lowerBoundMillis(bucket)).isLessThanOrEqualTo(v);
      assertThat(LatencyHistogram.upperBoundMillis(bucket)).isGreaterThanOrEqualTo(v);
    }
  }

  @Test
  void refusesImpossibleInput() {
    LatencyHistogram histogram = new LatencyHistogram();
    assertThatThrownBy(() -> histogram.record(-1)).hasMessageContaining("-1.0");
    assertThatThrownBy(() -> histogram.record(Double.NaN)).hasMessageContaining("NaN");
    assertThatThrownBy(() -> histogram.quantile(0.5)).hasMessageContaining("empty");
    histogram.record(1);
    assertThatThrownBy(() -> histogram.quantile(1.5)).hasMessageContaining("1.5");
    assertThatThrownBy(() -> histogram.addToBucket(3, -2)).hasMessageContaining("-2");
  }

  @Test
  void refusesStoredBucketsThatNoLatencyMapsTo() {
    int lowest = LatencyHistogram.bucketOf(LatencyHistogram.MIN_TRACKED_MILLIS);
    // one corrupt key far from the real ones used to exhaust the heap with a dense store spanning the gap
    assertThatThrownBy(() -> LatencyHistogram.fromBuckets(Map.of(100, 5L, 1_000_000_000, 1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1000000000");
    assertThatThrownBy(() -> LatencyHistogram.fromBuckets(Map.of(lowest - 1, 1L)))
        .hasMessageContaining(String.valueOf(lowest - 1));
    LatencyHistogram edges = LatencyHistogram.fromBuckets(
        Map.of(LatencyHistogram.ZERO_BUCKET, 1L, lowest, 1L, LatencyHistogram.bucketOf(1e12), 1L));
    assertThat(edges.count()).isEqualTo(3);
  }

  private static void assertWithinOnePercent(LatencyHistogram histogram, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    for (double q : QUANTILES) {
      double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      assertThat(histogram.quantile(q))
          .as("quantile %s", q)
          .isCloseTo(exact, within(exact * LatencyHistogram.RELATIVE_ACCURACY));
    }
  }
}
