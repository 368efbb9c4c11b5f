package io.nines.core.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.nines.core.alerting.AlertPolicy;
import io.nines.core.alerting.BudgetRule;
import io.nines.core.alerting.BurnRateRule;
import io.nines.core.alerting.LatencyRule;
import io.nines.core.alerting.Severity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlertPolicyReaderTest {

  private static final String SLO = """
      apiVersion: openslo/v1
      kind: SLO
      metadata: {name: checkout-availability, labels: {team: payments}}
      spec:
        service: checkout
        indicator:
          spec:
            ratioMetric:
              good:  {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}
              total: {metricSource: {type: nines.spans, spec: {service: checkout}}}
        timeWindow: [{duration: 30d, isRolling: true}]
        budgetingMethod: Occurrences
        objectives: [{target: 0.999}]
      """;

  private final OpenSloReader reader = new OpenSloReader();

  private SloDefinition read(String alertPolicies) {
    return reader.read(SLO + "  alertPolicies:\n" + alertPolicies.indent(4)).get(0);
  }

  private InvalidSloException refused(String alertPolicies) {
    return catchThrowableOfType(InvalidSloException.class, () -> read(alertPolicies));
  }

  @Test
  void anSloWithoutConditionsAlertsByTheWorkbook() {
    assertThat(reader.read(SLO).get(0).alertPolicy()).isEqualTo(AlertPolicy.WORKBOOK);
    SloDefinition slo = read("- kind: AlertPolicy\n  metadata: {name: paging}\n"
        + "  spec: {notificationTargets: [{targetRef: payments-pager}]}");
    assertThat(slo.alertPolicy()).isEqualTo(AlertPolicy.WORKBOOK);
    assertThat(slo.notificationTargets()).containsExactly("payments-pager");
  }

  @Test
  void readsInlineBurnRateAndBudgetConditions() {
    SloDefinition slo = read("""
        - kind: AlertPolicy
          metadata: {name: paging}
          spec:
            notificationTargets: [{targetRef: payments-pager}]
            conditions:
              - kind: AlertCondition
                metadata: {name: fast-burn}
                spec:
                  severity: page
                  condition: {kind: burnrate, op: gte, threshold: 10, lookbackWindow: 1h, alertAfter: 2m}
              - kind: AlertCondition
                metadata: {name: slow-burn}
                spec:
                  severity: ticket
                  condition: {kind: burnrate, op: gte, threshold: 2, lookbackWindow: 1d, nines: {shortWindow: 1h}}
              - kind: AlertCondition
                metadata: {name: budget-low}
                spec:
                  severity: page
                  condition: {kind: nines.budgetRemaining, op: lte, threshold: 0.1}
        """);

    assertThat(slo.alertPolicy().custom()).containsExactly(
        new BurnRateRule(Severity.PAGE, 10, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofMinutes(2)),
        new BurnRateRule(Severity.TICKET, 2, Duration.ofDays(1), Duration.ofHours(1), Duration.ZERO),
        new BudgetRule(Severity.PAGE, 0.1, Duration.ZERO));
  }

  @Test
  void namesTheFieldPathOfEveryBrokenCondition() {
    InvalidSloException e = refused("""
        - kind: AlertPolicy
          spec:
            conditions:
              - spec: {severity: urgent, condition: {kind: burnrate, op: gte, threshold: 10, lookbackWindow: 1h}}
              - spec: {severity: page, condition: {kind: burnrate, op: lt, threshold: 10, lookbackWindow: 1h}}
              - spec: {severity: page, condition: {kind: burnrate, op: gte, threshold: 10, lookbackWindow: 1 hour}}
              - spec: {severity: page, condition: {kind: burnrate, op: gte, threshold: 10, lookbackWindow: 7d}}
              - spec: {severity: page, condition: {kind: nines.budgetRemaining, op: gte, threshold: 0.1}}
              - spec: {severity: page, condition: {kind: errors, op: gte, threshold: 1}}
              - conditionRef: fast-burn
        """);

    assertThat(e.violations()).extracting(v -> v.path() + ": " + v.rule()).containsExactly(
        "spec.alertPolicies[0].spec.conditions[0].spec.severity: severity must be page or ticket, was 'urgent'",
        "spec.alertPolicies[0].spec.conditions[1].spec.condition.op: must be gte for burnrate (alert when burning"
            + " at least this fast), was 'lt'",
        "spec.alertPolicies[0].spec.conditions[2].spec.condition.lookbackWindow: must be a number and a unit s, m,"
            + " h or d (e.g. 5m, 1h), was '1 hour'",
        "spec.alertPolicies[0].spec.conditions[3].spec.condition: lookbackWindow must be within [1m, 3d], was PT168H",
        "spec.alertPolicies[0].spec.conditions[4].spec.condition.op: must be lte for nines.budgetRemaining (alert"
            + " when at most this much is left), was 'gte'",
        "spec.alertPolicies[0].spec.conditions[5].spec.condition.kind: must be burnrate, nines.budgetRemaining or"
            + " nines.latency, was 'errors'",
        "spec.alertPolicies[0].spec.conditions[6].conditionRef: Nines reads inline conditions only; put the"
            + " AlertCondition in the policy");
  }

  @Test
  void refusesMissingConditionFields() {
    InvalidSloException e = refused("- spec: {conditions: [{spec: {condition: {kind: burnrate}}}]}");

    assertThat(e.violations()).extracting(v -> v.path() + ": " + v.rule()).containsExactly(
        "spec.alertPolicies[0].spec.conditions[0].spec.severity: is required",
        "spec.alertPolicies[0].spec.conditions[0].spec.condition.threshold: is required",
        "spec.alertPolicies[0].spec.conditions[0].spec.condition.op: is required");
  }

  @Test
  void readsLatencyConditionsNextToTheOthers() {
    SloDefinition slo = read("""
        - kind: AlertPolicy
          metadata: {name: paging}
          spec:
            notificationTargets: [{targetRef: payments-pager}]
            conditions:
              - kind: AlertCondition
                metadata: {name: slow-checkout}
                spec:
                  severity: page
                  condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: 300ms, lookbackWindow: 5m}
              - kind: AlertCondition
                metadata: {name: slowish-checkout}
                spec:
                  severity: ticket
                  condition: {kind: nines.latency, op: gt, quantile: 0.5, threshold: 1.5s, lookbackWindow: 90s,
                              alertAfter: 10m}
              - kind: AlertCondition
                metadata: {name: bare-millis}
                spec:
                  severity: ticket
                  condition: {kind: nines.latency, op: gt, quantile: 0.999, threshold: 287.5, lookbackWindow: 1h}
              - kind: AlertCondition
                metadata: {name: budget-low}
                spec:
                  severity: page
                  condition: {kind: nines.budgetRemaining, op: lte, threshold: 0.1}
        """);

    assertThat(slo.alertPolicy().custom()).containsExactly(
        new LatencyRule(Severity.PAGE, 0.99, Duration.ofMillis(300), Duration.ofMinutes(5), Duration.ZERO),
        new LatencyRule(Severity.TICKET, 0.5, Duration.ofMillis(1500), Duration.ofSeconds(90), Duration.ofMinutes(10)),
        new LatencyRule(Severity.TICKET, 0.999, Duration.ofNanos(287_500_000), Duration.ofHours(1), Duration.ZERO),
        new BudgetRule(Severity.PAGE, 0.1, Duration.ZERO));
    assertThat(slo.alertPolicy().custom()).extracting(rule -> rule.name()).containsExactly(
        "p99>300ms over 5m", "p50>1500ms over 90s", "p99.9>287.5ms over 1h", "budgetRemaining<=0.1");
  }

  @Test
  void namesTheFieldPathOfEveryBrokenLatencyCondition() {
    InvalidSloException e = refused("""
        - kind: AlertPolicy
          spec:
            conditions:
              - spec: {severity: page, condition: {kind: nines.latency, op: gte, quantile: 0.99, threshold: 300ms,
                                                   lookbackWindow: 5m}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 1.5, threshold: 300ms,
                                                   lookbackWindow: 5m}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 0, threshold: 300ms,
                                                   lookbackWindow: 5m}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: p99, threshold: 300ms,
                                                   lookbackWindow: 5m}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: fast,
                                                   lookbackWindow: 5m}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: 0ms,
                                                   lookbackWindow: 5m}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: -5ms,
                                                   lookbackWindow: 5m}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: 300ms,
                                                   lookbackWindow: 45s}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: 300ms,
                                                   lookbackWindow: 2h}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: 300ms,
                                                   lookbackWindow: 0s}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: 300ms,
                                                   lookbackWindow: 5m, alertAfter: 2d}}
              - spec: {severity: page, condition: {kind: nines.latency, op: gt, threshold: 300ms}}
        """);

    String at = "spec.alertPolicies[0].spec.conditions[";
    assertThat(e.violations()).extracting(v -> v.path() + ": " + v.rule()).containsExactly(
        at + "0].spec.condition.op: must be gt for nines.latency (alert when the quantile is over the threshold),"
            + " was 'gte'",
        at + "1].spec.condition.quantile: must be above 0 and below 1 (0.99 for p99), was 1.5",
        at + "2].spec.condition.quantile: must be above 0 and below 1 (0.99 for p99), was 0.0",
        at + "3].spec.condition.quantile: must be a number, was 'p99'",
        at + "4].spec.condition.threshold: must be a duration with a unit ms, s or m (e.g. 300ms, 1.5s), or a"
            + " number of milliseconds, was 'fast'",
        at + "5].spec.condition.threshold: must be above 0, was '0ms'",
        at + "6].spec.condition.threshold: must be a duration with a unit ms, s or m (e.g. 300ms, 1.5s), or a"
            + " number of milliseconds, was '-5ms'",
        at + "7].spec.condition.lookbackWindow: must be a whole number of 10-second panes (e.g. 30s, 5m), was '45s'",
        at + "8].spec.condition.lookbackWindow: must be within [10s, 1h] (the stream keeps an hour of latency"
            + " panes), was '2h'",
        at + "9].spec.condition.lookbackWindow: must be within [10s, 1h] (the stream keeps an hour of latency"
            + " panes), was '0s'",
        at + "10].spec.condition: alertAfter must be within [0, 1d], was PT48H",
        at + "11].spec.condition.quantile: is required",
        at + "11].spec.condition.lookbackWindow: is required");
  }
}
