package io.nines.core.latency.bench;

import com.tdunning.math.stats.MergingDigest;
import org.HdrHistogram.Histogram;

/** The peers LatencyHistogram is compared with, set up the same way in every benchmark and the report. */
final class Peers {

  /** t-digest's default compression: about 100 centroids. */
  static final double T_DIGEST_COMPRESSION = 100;

  /** 1 µs .. 1 h in microseconds, 3 significant digits (0.1 %): HdrHistogram's usual latency setup. */
  static final long HDR_MAX_MICROS = 3_600_000_000L;

  static final int HDR_SIGNIFICANT_DIGITS = 3;

  private Peers() {}

  static MergingDigest tDigest() {
    return new MergingDigest(T_DIGEST_COMPRESSION);
  }

  static Histogram hdrHistogram() {
    return new Histogram(1, HDR_MAX_MICROS, HDR_SIGNIFICANT_DIGITS);
  }

  /** HdrHistogram counts integers, so latencies go in as whole microseconds. */
  static long micros(double millis) {
    return Math.round(millis * 1000);
  }

  static double hdrQuantileMillis(Histogram histogram, double q) {
    return histogram.getValueAtPercentile(q * 100) / 1000.0;
  }
}
