package io.nines.core.alerting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Objects;

/**
 * The SRE workbook's multiwindow burn-rate condition: holds when the burn rate is at least {@code threshold}
 * over both the long window (the budget really burns) and the short window (it still burns now, so the alert
 * resolves soon after the burning stops).
 */
public record BurnRateRule(Severity severity, double threshold, Duration longWindow, Duration shortWindow,
                           Duration alertAfter) implements AlertRule {

  /** The stream keeps three days of counts; no window may reach further back. */
  public static final Duration LONGEST_WINDOW = Duration.ofDays(3);

  public BurnRateRule {
    Objects.requireNonNull(severity, "severity");
    if (!(threshold > 0) || Double.isInfinite(threshold)) {
      throw new IllegalArgumentException("burn-rate threshold must be a finite number above 0, was " + threshold);
    }
    Objects.requireNonNull(longWindow, "longWindow");
    Objects.requireNonNull(shortWindow, "shortWindow");
    if (longWindow.compareTo(Duration.ofMinutes(1)) < 0 || longWindow.compareTo(LONGEST_WINDOW) > 0) {
      throw new IllegalArgumentException("lookbackWindow must be within [1m, 3d], was " + longWindow);
    }
    if (shortWindow.compareTo(Duration.ofSeconds(10)) < 0 || shortWindow.compareTo(longWindow) > 0) {
      throw new IllegalArgumentException("short window must be within [10s, lookbackWindow "
          + AlertRule.label(longWindow) + "], was " + shortWindow);
    }
    requireAlertAfter(alertAfter);
  }

  /** The workbook's short window: a twelfth of the long one (1h -> 5m, 6h -> 30m, 1d -> 2h, 3d -> 6h). */
  public static Duration defaultShortWindow(Duration longWindow) {
    return longWindow.dividedBy(12);
  }

  @Override
  public String name() {
    return "burnrate>=" + BigDecimal.valueOf(threshold).round(new MathContext(4)).stripTrailingZeros().toPlainString()
        + " over " + AlertRule.label(longWindow) + " and " + AlertRule.label(shortWindow);
  }

  static void requireAlertAfter(Duration alertAfter) {
    Objects.requireNonNull(alertAfter, "alertAfter");
    if (alertAfter.isNegative() || alertAfter.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("alertAfter must be within [0, 1d], was " + alertAfter);
    }
  }
}
