package io.nines.core.slo;

import io.nines.core.alerting.AlertPolicy;
import io.nines.core.alerting.AlertRule;
import io.nines.core.alerting.BudgetRule;
import io.nines.core.alerting.BurnRateRule;
import io.nines.core.alerting.LatencyRule;
import io.nines.core.alerting.Severity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an SLO's inline OpenSLO {@code alertPolicies}: their notification targets and their inline
 * {@code AlertCondition}s. Conditions of every policy together replace the workbook policy; a policy that
 * names targets but no conditions leaves the workbook policy in force.
 */
final class AlertPolicyReader {

  static final String BURN_RATE = "burnrate";
  static final String BUDGET_REMAINING = "nines.budgetRemaining";
  static final String LATENCY = "nines.latency";
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");
  /** A latency threshold: a number and ms, s or m; a bare number is milliseconds, as in latency objectives. */
  private static final Pattern LATENCY_THRESHOLD = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,6})?)(ms|s|m)?");

  private AlertPolicyReader() {
  }

  static List<String> notificationTargets(Field spec) {
    List<String> targets = new ArrayList<>();
    for (Field policy : spec.get("alertPolicies").list()) {
      for (Field target : policy.get("spec").get("notificationTargets").list()) {
        target.required("targetRef").string().ifPresent(targets::add);
      }
    }
    return targets;
  }

  /** The policy, or empty when a condition is broken (each violation recorded with its path). */
  static Optional<AlertPolicy> policy(Field spec) {
    List<AlertRule> rules = new ArrayList<>();
    boolean broken = false;
    for (Field policy : spec.get("alertPolicies").list()) {
      Field kind = policy.get("kind");
      if (kind.isPresent() && !kind.string().orElse("").equals("AlertPolicy")) {
        kind.violate("must be AlertPolicy, was '" + kind.string().orElse("") + "'");
        broken = true;
      }
      for (Field condition : policy.get("spec").get("conditions").list()) {
        Optional<AlertRule> rule = rule(condition);
        broken |= rule.isEmpty();
        rule.ifPresent(rules::add);
      }
    }
    if (broken) {
      return Optional.empty();
    }
    return Optional.of(rules.isEmpty() ? AlertPolicy.WORKBOOK : AlertPolicy.of(rules));
  }

  private static Optional<AlertRule> rule(Field item) {
    if (item.get("conditionRef").isPresent()) {
      item.get("conditionRef").violate("Nines reads inline conditions only; put the AlertCondition in the policy");
      return Optional.empty();
    }
    Field kind = item.get("kind");
    if (kind.isPresent() && !kind.string().orElse("").equals("AlertCondition")) {
      kind.violate("must be AlertCondition, was '" + kind.string().orElse("") + "'");
      return Optional.empty();
    }
    Field spec = item.required("spec");
    Optional<Severity> severity = severity(spec);
    Field condition = spec.required("condition");
    Optional<String> conditionKind = condition.required("kind").string();
    Optional<Duration> alertAfter = condition.get("alertAfter").isPresent()
        ? duration(condition.get("alertAfter")) : Optional.of(Duration.ZERO);
    // a latency threshold is a duration, every other one a number
    boolean latency = conditionKind.filter(LATENCY::equals).isPresent();
    Field thresholdField = condition.required("threshold");
    Optional<Double> threshold = latency ? latencyThreshold(thresholdField) : thresholdField.number();
    Optional<String> op = condition.required("op").string();
    if (conditionKind.isEmpty() || severity.isEmpty() || alertAfter.isEmpty() || threshold.isEmpty() || op.isEmpty()) {
      return Optional.empty();
    }
    try {
      return switch (conditionKind.get()) {
        case BURN_RATE -> burnRate(condition, severity.get(), op.get(), threshold.get(), alertAfter.get());
        case LATENCY -> latency(condition, severity.get(), op.get(), threshold.get(), alertAfter.get());
        case BUDGET_REMAINING -> {
          if (!op.get().equals("lte")) {
            condition.get("op").violate("must be lte for " + BUDGET_REMAINING
                + " (alert when at most this much is left), was '" + op.get() + "'");
            yield Optional.empty();
          }
          yield Optional.of(new BudgetRule(severity.get(), threshold.get(), alertAfter.get()));
        }
        default -> {
          condition.get("kind").violate("must be " + BURN_RATE + ", " + BUDGET_REMAINING + " or " + LATENCY
              + ", was '" + conditionKind.get() + "'");
          yield Optional.empty();
        }
      };
    } catch (IllegalArgumentException e) {
      condition.violate(e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<AlertRule> burnRate(Field condition, Severity severity, String op, double threshold,
      Duration alertAfter) {
    if (!op.equals("gte")) {
      condition.get("op").violate("must be gte for burnrate (alert when burning at least this fast), was '" + op + "'");
      return Optional.empty();
    }
    Optional<Duration> lookback = duration(condition.required("lookbackWindow"));
    if (lookback.isEmpty()) {
      return Optional.empty();
    }
    Field shortField = condition.get("nines").get("shortWindow");
    Optional<Duration> shortWindow = shortField.isPresent()
        ? duration(shortField) : Optional.of(BurnRateRule.defaultShortWindow(lookback.get()));
    if (shortWindow.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new BurnRateRule(severity, threshold, lookback.get(), shortWindow.get(), alertAfter));
  }

  /**
   * A latency condition: {@code op: gt}, {@code quantile} in (0, 1), a duration {@code threshold} above 0 and a
   * {@code lookbackWindow} of whole 10-second panes within [10s, 1h], each checked with its own field path.
   */
  private static Optional<AlertRule> latency(Field condition, Severity severity, String op, double thresholdMillis,
      Duration alertAfter) {
    boolean broken = false;
    if (!op.equals("gt")) {
      condition.get("op").violate("must be gt for " + LATENCY + " (alert when the quantile is over the threshold),"
          + " was '" + op + "'");
      broken = true;
    }
    Field quantileField = condition.required("quantile");
    Optional<Double> quantile = quantileField.number();
    if (quantile.isPresent() && !(quantile.get() > 0 && quantile.get() < 1)) {
      quantileField.violate("must be above 0 and below 1 (0.99 for p99), was " + quantile.get());
      broken = true;
    }
    Field lookbackField = condition.required("lookbackWindow");
    Optional<Duration> lookback = duration(lookbackField);
    if (lookback.isPresent() && (lookback.get().compareTo(LatencyRule.PANE) < 0
        || lookback.get().compareTo(LatencyRule.LONGEST_LOOKBACK) > 0)) {
      lookbackField.violate("must be within [10s, 1h] (the stream keeps an hour of latency panes), was '"
          + lookbackField.string().orElse("") + "'");
      broken = true;
    } else if (lookback.isPresent() && lookback.get().toMillis() % LatencyRule.PANE.toMillis() != 0) {
      lookbackField.violate("must be a whole number of 10-second panes (e.g. 30s, 5m), was '"
          + lookbackField.string().orElse("") + "'");
      broken = true;
    }
    if (broken || quantile.isEmpty() || lookback.isEmpty()) {
      return Optional.empty();
    }
    Duration threshold = Duration.ofNanos(Math.round(thresholdMillis * 1_000_000));
    return Optional.of(new LatencyRule(severity, quantile.get(), threshold, lookback.get(), alertAfter));
  }

  /** A latency threshold in milliseconds, from {@code 300ms}, {@code 1.5s}, {@code 1m} or a bare number of ms. */
  private static Optional<Double> latencyThreshold(Field field) {
    Optional<String> text = field.string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = LATENCY_THRESHOLD.matcher(text.get().strip());
    if (!m.matches()) {
      field.violate("must be a duration with a unit ms, s or m (e.g. 300ms, 1.5s), or a number of milliseconds,"
          + " was '" + text.get() + "'");
      return Optional.empty();
    }
    BigDecimal amount = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    BigDecimal millis = switch (unit) {
      case "ms" -> amount;
      case "s" -> amount.movePointRight(3);
      default -> amount.multiply(BigDecimal.valueOf(60_000));
    };
    // nanoseconds are the finest a Duration holds
    if (millis.movePointRight(6).setScale(0, RoundingMode.DOWN).signum() == 0) {
      field.violate("must be above 0, was '" + text.get() + "'");
      return Optional.empty();
    }
    return Optional.of(millis.doubleValue());
  }

  private static Optional<Severity> severity(Field spec) {
    Optional<String> label = spec.required("severity").string();
    if (label.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Severity.of(label.get()));
    } catch (IllegalArgumentException e) {
      spec.get("severity").violate(e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Duration> duration(Field field) {
    Optional<String> text = field.string();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(text.get());
    if (!m.matches()) {
      field.violate("must be a number and a unit s, m, h or d (e.g. 5m, 1h), was '" + text.get() + "'");
      return Optional.empty();
    }
    long amount = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    });
  }
}
