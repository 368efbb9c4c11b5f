package io.nines.core.latency.bench;

import io.nines.core.latency.LatencyHistogram;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Quantiles of LatencyHistogram, t-digest and HdrHistogram against the exact ones, for seeded
 * lognormal, Pareto and bimodal latencies: recorded into one sketch, and merged from 7 days of
 * per-minute sketches as a query over stored minutes does. Exits 1 when LatencyHistogram misses its
 * 1 % bound anywhere, so the report doubles as a check.
 *
 * <p>Run: {@code java -cp slo-core/target/benchmarks.jar io.nines.core.latency.bench.AccuracyReport}
 */
public final class AccuracyReport {

  static final int VALUES = 1_000_000;
  static final int MINUTES = 7 * 24 * 60;
  static final long SEED = 2026;
  static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  // Every rank from p0 to p100 in steps of 0.1 %: the bound must hold everywhere, not only at the table's quantiles.
  private static final double[] GRID = gridQuantiles(1000);

  private double worstLatencyHistogramError;

  private AccuracyReport() {}

  public static void main(String[] args) {
    AccuracyReport report = new AccuracyReport();
    System.out.printf("%,d values per distribution (seed %d); merged = %,d per-minute sketches of ~%d values%n",
        VALUES, SEED, MINUTES, VALUES / MINUTES);
    System.out.println("exact = the value of rank floor(q * (n - 1)) in the sorted values; errors relative to it");
    for (Latencies distribution : Latencies.values()) {
      report.compare(distribution);
    }
    System.out.printf("%nLatencyHistogram max relative error, all distributions, p0..p100 in 0.1 %% steps: %.4f %% (bound %.0f %%)%n",
        100 * report.worstLatencyHistogramError, 100 * LatencyHistogram.RELATIVE_ACCURACY);
    // The bound is tight at bucket edges, where the mapping's floating-point arithmetic overshoots it by ~1e-16.
    if (report.worstLatencyHistogramError > LatencyHistogram.RELATIVE_ACCURACY + 1e-12) {
      System.out.println("FAIL: LatencyHistogram is outside its bound");
      System.exit(1);
    }
  }

  private void compare(Latencies distribution) {
    double[] values = distribution.sample(VALUES, SEED);
    double[] sorted = values.clone();
    Arrays.sort(sorted);

    SketchSet whole = new SketchSet();
    for (double millis : values) {
      whole.record(millis);
    }
    SketchSet merged = mergedFromMinutes(values);

    System.out.printf("%n### %s%n", distribution.description());
    table("one sketch", whole, sorted);
    table("merged from " + MINUTES + " minutes", merged, sorted);
    System.out.println("one sketch:  " + whole.sizes());
    System.out.println("merged:      " + merged.sizes());
  }

  /** Consecutive values go to the same minute, as a service's spans do. */
  private static SketchSet mergedFromMinutes(double[] values) {
    SketchSet merged = new SketchSet();
    for (int minute = 0; minute < MINUTES; minute++) {
      SketchSet sketches = new SketchSet();
      int from = (int) ((long) values.length * minute / MINUTES);
      int to = (int) ((long) values.length * (minute + 1) / MINUTES);
      for (int i = from; i < to; i++) {
        sketches.record(values[i]);
      }
      merged.merge(sketches);
    }
    return merged;
  }

  private void table(String title, SketchSet sketches, double[] sorted) {
    List<SketchSet.Reader> readers = sketches.readers();
    StringBuilder header = new StringBuilder("| " + title + " | exact ms |");
    StringBuilder rule = new StringBuilder("| --- | ---: |");
    for (SketchSet.Reader reader : readers) {
      header.append(' ').append(reader.name()).append(" ms | error |");
      rule.append(" ---: | ---: |");
    }
    System.out.printf("%n%s%n%s%n", header, rule);
    for (double q : QUANTILES) {
      double exact = exact(sorted, q);
      StringBuilder row = new StringBuilder(String.format("| p%s | %s |", percentile(q), millis(exact)));
      for (SketchSet.Reader reader : readers) {
        double estimate = reader.quantile().applyAsDouble(q);
        row.append(String.format(" %s | %+.2f %% |", millis(estimate), 100 * (estimate - exact) / exact));
      }
      System.out.println(row);
    }
    StringBuilder worst = new StringBuilder("| max \\|error\\| p0..p100 | |");
    for (SketchSet.Reader reader : readers) {
      worst.append(String.format(" | %.2f %% |", 100 * maxError(sorted, reader.quantile())));
    }
    System.out.println(worst);
    worstLatencyHistogramError = Math.max(worstLatencyHistogramError, maxError(sorted, readers.get(0).quantile()));
  }

  private static double maxError(double[] sorted, DoubleUnaryOperator quantile) {
    double worst = 0;
    for (double q : GRID) {
      double exact = exact(sorted, q);
      worst = Math.max(worst, Math.abs(quantile.applyAsDouble(q) - exact) / exact);
    }
    return worst;
  }

  static double exact(double[] sorted, double q) {
    return sorted[(int) Math.floor(q * (sorted.length - 1))];
  }

  private static double[] gridQuantiles(int steps) {
    double[] grid = new double[steps + 1];
    for (int i = 0; i <= steps; i++) {
      grid[i] = (double) i / steps;
    }
    return grid;
  }

  private static String percentile(double q) {
    return BigDecimal.valueOf(q).movePointRight(2).stripTrailingZeros().toPlainString();
  }

  private static String millis(double value) {
    return value >= 100 ? String.format("%.1f", value) : String.format("%.3f", value);
  }
}
