package io.nines.core.latency.bench;

import java.util.SplittableRandom;

/**
 * Seeded latency distributions in milliseconds, shaped like what services report: every run of a
 * benchmark or the report sees the same values, so figures of two runs are comparable.
 */
enum Latencies {

  /** One code path: median 50 ms, p99 about 0.5 s. */
  LOGNORMAL("lognormal(median 50 ms, sigma 1)") {
    @Override
    double next(SplittableRandom random) {
      return logNormal(random, 50, 1);
    }
  },

  /** A heavy tail, the shape that makes averaged percentiles lie: p99.9 about 100x the minimum. */
  PARETO("Pareto(min 5 ms, alpha 1.5)") {
    @Override
    double next(SplittableRandom random) {
      return 5 / Math.pow(1 - random.nextDouble(), 1 / 1.5);
    }
  },

  /** A cache in front of a database: p90 falls in the gap between the modes, where sketches that interpolate guess. */
  BIMODAL("bimodal(90 % median 2 ms, 10 % median 120 ms)") {
    @Override
    double next(SplittableRandom random) {
      return random.nextDouble() < 0.9 ? logNormal(random, 2, 0.3) : logNormal(random, 120, 0.5);
    }
  };

  /** Longest latency HdrHistogram is set up for (1 h); every seeded sample stays under it. */
  static final double MAX_MILLIS = 3_600_000;

  private final String description;

  Latencies(String description) {
    this.description = description;
  }

  abstract double next(SplittableRandom random);

  String description() {
    return description;
  }

  double[] sample(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = next(random);
      if (values[i] > MAX_MILLIS) {
        throw new IllegalStateException(this + " drew " + values[i] + " ms, beyond the 1 h the peers are set up for");
      }
    }
    return values;
  }

  private static double logNormal(SplittableRandom random, double medianMillis, double sigma) {
    return medianMillis * Math.exp(sigma * gaussian(random));
  }

  // SplittableRandom has no nextGaussian on Java 17; Box-Muller keeps the sample seeded and reproducible.
  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
