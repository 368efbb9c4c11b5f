package io.nines.core.alerting;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The rules an SLO alerts by: the SRE workbook's multiwindow, multi-burn-rate policy unless the SLO's OpenSLO
 * {@code alertPolicies} bring conditions of their own, which then replace it.
 *
 * <p>The workbook's factors are for a 30-day window; for other windows they scale as budget share x window /
 * long window, so each rule still means "this share of the budget is gone": page at 2 % in 1h (14.4 for 30d,
 * 3.36 for 7d) or 5 % in 6h, ticket at 10 % in 1d or 10 % in 3d. A calendar window uses the length of the
 * current period, so the factors follow a month's 28 to 31 days.
 *
 * @param workbook true for the default policy, whose thresholds depend on the window length
 * @param custom the SLO's own rules; empty for the workbook policy
 */
public record AlertPolicy(boolean workbook, List<AlertRule> custom) {

  /** The default policy. */
  public static final AlertPolicy WORKBOOK = new AlertPolicy(true, List.of());

  /**
   * No rule fires on fewer events than this in its long window (for budget rules: the SLO window), so that a
   * service with a handful of requests an hour does not page because two of them failed in a row.
   */
  public static final long MIN_EVENTS = 20;
  /** No rule fires on fewer bad events than this in its long window: one failed request never pages. */
  public static final long MIN_BAD_EVENTS = 2;
  /**
   * An alert resolves once no rule of its severity has held for this long: a flapping rule does not page twice.
   * For pages this is the path of services too quiet to judge over {@link #RECOVERY_WINDOW}; with traffic, a page
   * resolves on recovery.
   */
  public static final Duration RESOLVE_AFTER = Duration.ofMinutes(5);
  /**
   * A page resolves as soon as the most recent window of this length holds {@link #MIN_EVENTS} events and burns at
   * or below {@link #RECOVERED_BURN_RATE}, even while its rules' long windows still remember the outage: the
   * service has recovered, whatever those windows say.
   */
  public static final Duration RECOVERY_WINDOW = Duration.ofMinutes(2);
  /** Recovered: the budget is no longer spent faster than it accrues. */
  public static final double RECOVERED_BURN_RATE = 1.0;

  private static final List<Share> WORKBOOK_SHARES = List.of(
      new Share(Severity.PAGE, 0.02, Duration.ofHours(1)),
      new Share(Severity.PAGE, 0.05, Duration.ofHours(6)),
      new Share(Severity.TICKET, 0.10, Duration.ofDays(1)),
      new Share(Severity.TICKET, 0.10, Duration.ofDays(3)));

  public AlertPolicy {
    custom = List.copyOf(custom);
    if (workbook && !custom.isEmpty()) {
      throw new IllegalArgumentException("the workbook policy has no custom rules, was given " + custom.size());
    }
    if (!workbook && custom.isEmpty()) {
      throw new IllegalArgumentException("a custom alert policy needs at least one rule");
    }
  }

  /** A policy of the SLO's own rules. */
  public static AlertPolicy of(List<AlertRule> rules) {
    return new AlertPolicy(false, rules);
  }

  /** The rules in force for a window (or calendar period) of {@code windowLength}. */
  public List<AlertRule> rulesFor(Duration windowLength) {
    Objects.requireNonNull(windowLength, "windowLength");
    if (!workbook) {
      return custom;
    }
    return WORKBOOK_SHARES.stream()
        .<AlertRule>map(share -> new BurnRateRule(share.severity(),
            share.budget() * windowLength.toMillis() / share.longWindow().toMillis(), share.longWindow(),
            BurnRateRule.defaultShortWindow(share.longWindow()), Duration.ZERO))
        .toList();
  }

  /** The workbook's budget share per long window. */
  private record Share(Severity severity, double budget, Duration longWindow) {
  }
}
