package io.nines.core.alerting;

import java.time.Duration;

/**
 * One condition that raises an alert of its severity while it holds. The rules of one severity are or'ed:
 * the alert (SLO, severity) is active while any of them holds.
 */
public sealed interface AlertRule permits BurnRateRule, BudgetRule, LatencyRule {

  Severity severity();

  /** How long the rule must hold before the alert fires; until then it is pending. */
  Duration alertAfter();

  /** A stable, readable name, the {@code rule} of transitions, e.g. {@code burnrate>=14.4 over 1h and 5m}. */
  String name();

  /** A lookback such as 1h or 90s as {@code 1h}, {@code 90s}: the largest unit that divides it. */
  static String label(Duration lookback) {
    long seconds = lookback.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
