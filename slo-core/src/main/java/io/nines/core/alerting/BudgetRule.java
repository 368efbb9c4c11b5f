package io.nines.core.alerting;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * Holds when at most {@code remaining} of the window's error budget is left, e.g. 0.1: "page when under 10 %".
 * The remaining budget counts the events the stream has seen in the SLO's window.
 */
public record BudgetRule(Severity severity, double remaining, Duration alertAfter) implements AlertRule {

  public BudgetRule {
    Objects.requireNonNull(severity, "severity");
    if (!(remaining >= 0 && remaining < 1)) {
      throw new IllegalArgumentException("budget-remaining threshold must be within [0, 1), was " + remaining);
    }
    BurnRateRule.requireAlertAfter(alertAfter);
  }

  @Override
  public String name() {
    return "budgetRemaining<=" + BigDecimal.valueOf(remaining).stripTrailingZeros().toPlainString();
  }
}
