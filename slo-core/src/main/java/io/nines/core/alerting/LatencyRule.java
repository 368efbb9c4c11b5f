package io.nines.core.alerting;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Holds when the {@code quantile} of the latencies of the spans the SLO selects (its total), over the trailing
 * {@code lookback}, is above {@code threshold}: "page when the p99 of checkout is over 300 ms for 5 minutes" is
 * quantile 0.99, threshold 300 ms, lookback 5m. The lookback is the "for 5 minutes": the quantile is computed
 * over the spans of the whole window, so a few slow seconds do not move it while a slow tail that lasts does;
 * {@code alertAfter} optionally asks it to hold that much longer before the alert fires.
 *
 * <p>The stream evaluates it on 10-second panes of latency sketches, so the lookback is a whole number of panes,
 * and it keeps at most {@link #LONGEST_LOOKBACK} of them. The quantile is read from a sketch with 1 % relative
 * accuracy ({@link io.nines.core.latency.LatencyHistogram}); unlike an SLI threshold, which is exact, a quantile
 * within 1 % of the threshold may fall either side of it.
 */
public record LatencyRule(Severity severity, double quantile, Duration threshold, Duration lookback,
                          Duration alertAfter) implements AlertRule {

  /** The stream's latency panes: a lookback is a whole number of them. */
  public static final Duration PANE = Duration.ofSeconds(10);
  /** The stream keeps latency sketches of this long for SLOs with latency rules, and no more. */
  public static final Duration LONGEST_LOOKBACK = Duration.ofHours(1);

  private static final Pattern NAME = Pattern.compile("p[0-9.]+>[0-9.]+ms over [0-9]+[smhd]");

  public LatencyRule {
    Objects.requireNonNull(severity, "severity");
    if (!(quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException("latency quantile must be above 0 and below 1, was " + quantile);
    }
    Objects.requireNonNull(threshold, "threshold");
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("latency threshold must be above 0, was " + threshold);
    }
    Objects.requireNonNull(lookback, "lookback");
    if (lookback.compareTo(PANE) < 0 || lookback.compareTo(LONGEST_LOOKBACK) > 0) {
      throw new IllegalArgumentException("latency lookbackWindow must be within [10s, 1h], was " + lookback);
    }
    if (lookback.toMillis() % PANE.toMillis() != 0) {
      throw new IllegalArgumentException("latency lookbackWindow must be a whole number of 10-second panes, was "
          + lookback);
    }
    BurnRateRule.requireAlertAfter(alertAfter);
  }

  /** The threshold in milliseconds, the unit of latencies in the stream. */
  public double thresholdMillis() {
    return threshold.toNanos() / 1e6;
  }

  /** True when an observed quantile is over the threshold. */
  public boolean isExceededBy(double observedMillis) {
    return observedMillis > thresholdMillis();
  }

  /** E.g. {@code p99>300ms over 5m}. */
  @Override
  public String name() {
    return quantileLabel(quantile) + ">" + millisLabel(thresholdMillis()) + "ms over " + AlertRule.label(lookback);
  }

  /** True when {@code rule}, the rule of a transition, is the {@link #name()} of a latency rule. */
  public static boolean isNamed(String rule) {
    return NAME.matcher(rule).matches();
  }

  /** 0.99 as {@code p99}, 0.999 as {@code p99.9}, 0.5 as {@code p50}. */
  public static String quantileLabel(double quantile) {
    return "p" + BigDecimal.valueOf(quantile).movePointRight(2).stripTrailingZeros().toPlainString();
  }

  private static String millisLabel(double millis) {
    return BigDecimal.valueOf(millis).stripTrailingZeros().toPlainString();
  }
}
