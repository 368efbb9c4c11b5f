package io.nines.core.alerting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;

/**
 * What a latency rule saw when it caused a transition: the quantile of the spans over its lookback, so that a
 * page can say "p99 was 742 ms over 5m (threshold 300 ms)".
 *
 * @param observedMillis the quantile read from the merged sketches (within 1 % of the exact value)
 * @param spans how many spans the lookback held
 */
public record LatencyObservation(double quantile, Duration lookback, double thresholdMillis, double observedMillis,
                                 long spans) {

  public LatencyObservation {
    if (!(quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException("observed quantile must be above 0 and below 1, was " + quantile);
    }
    Objects.requireNonNull(lookback, "lookback");
    if (lookback.isNegative() || lookback.isZero()) {
      throw new IllegalArgumentException("observed lookback must be positive, was " + lookback);
    }
    if (!(thresholdMillis > 0) || Double.isInfinite(thresholdMillis)) {
      throw new IllegalArgumentException("latency threshold must be a finite number of ms above 0, was "
          + thresholdMillis);
    }
    if (!(observedMillis >= 0) || Double.isInfinite(observedMillis)) {
      throw new IllegalArgumentException("observed latency must be a finite number of ms >= 0, was " + observedMillis);
    }
    if (spans < 1) {
      throw new IllegalArgumentException("an observed quantile needs at least one span, was " + spans);
    }
  }

  /** What {@code rule} sees in {@code spans} spans whose quantile is {@code observedMillis}. */
  public static LatencyObservation of(LatencyRule rule, double observedMillis, long spans) {
    return new LatencyObservation(rule.quantile(), rule.lookback(), rule.thresholdMillis(), observedMillis, spans);
  }

  /** True when the quantile is over the threshold. */
  public boolean isOver() {
    return observedMillis > thresholdMillis;
  }

  /** E.g. {@code p99 was 742 ms over 5m (threshold 300 ms)}. */
  public String summary() {
    return LatencyRule.quantileLabel(quantile) + " was " + millisLabel(observedMillis) + " ms over "
        + AlertRule.label(lookback) + " (threshold " + millisLabel(thresholdMillis) + " ms)";
  }

  /** Whole milliseconds from 100 ms on, else three significant digits: 742, 31.4, 0.512. */
  public static String millisLabel(double value) {
    BigDecimal decimal = value >= 100
        ? BigDecimal.valueOf(value).setScale(0, RoundingMode.HALF_UP)
        : BigDecimal.valueOf(value).round(new MathContext(3, RoundingMode.HALF_UP));
    return decimal.stripTrailingZeros().toPlainString();
  }
}
