package io.nines.core.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertPolicyTest {

  @Test
  void workbookPolicyForThirtyDaysIsTheWorkbooksTable() {
    List<AlertRule> rules = AlertPolicy.WORKBOOK.rulesFor(Duration.ofDays(30));

    assertThat(rules).extracting(AlertRule::name).containsExactly(
        "burnrate>=14.4 over 1h and 5m", "burnrate>=6 over 6h and 30m",
        "burnrate>=3 over 1d and 2h", "burnrate>=1 over 3d and 6h");
    assertThat(rules).extracting(AlertRule::severity)
        .containsExactly(Severity.PAGE, Severity.PAGE, Severity.TICKET, Severity.TICKET);
    assertThat(rules).extracting(AlertRule::alertAfter).containsOnly(Duration.ZERO);
  }

  @Test
  void scalesTheFactorsByBudgetShareTimesWindowOverLongWindow() {
    List<AlertRule> week = AlertPolicy.WORKBOOK.rulesFor(Duration.ofDays(7));
    List<AlertRule> february = AlertPolicy.WORKBOOK.rulesFor(Duration.ofDays(28));

    assertThat(((BurnRateRule) week.get(0)).threshold()).isCloseTo(0.02 * 168, within(1e-9)).isCloseTo(3.36, within(1e-9));
    assertThat(((BurnRateRule) week.get(1)).threshold()).isCloseTo(1.4, within(1e-9));
    assertThat(((BurnRateRule) february.get(0)).threshold()).isCloseTo(13.44, within(1e-9));
    assertThat(week.get(0).name()).isEqualTo("burnrate>=3.36 over 1h and 5m");
  }

  @Test
  void customRulesReplaceTheWorkbook() {
    AlertRule budget = new BudgetRule(Severity.PAGE, 0.1, Duration.ZERO);

    assertThat(AlertPolicy.of(List.of(budget)).rulesFor(Duration.ofDays(30))).containsExactly(budget);
    assertThat(budget.name()).isEqualTo("budgetRemaining<=0.1");
  }

  @Test
  void refusesRulesThatCannotBeEvaluated() {
    assertThatThrownBy(() -> new BurnRateRule(Severity.PAGE, 14.4, Duration.ofDays(4), Duration.ofHours(1), Duration.ZERO))
        .hasMessage("lookbackWindow must be within [1m, 3d], was PT96H");
    assertThatThrownBy(() -> new BurnRateRule(Severity.PAGE, 14.4, Duration.ofHours(1), Duration.ofHours(2), Duration.ZERO))
        .hasMessageContaining("short window must be within [10s, lookbackWindow 1h]");
    assertThatThrownBy(() -> new BurnRateRule(Severity.PAGE, 0, Duration.ofHours(1), Duration.ofMinutes(5), Duration.ZERO))
        .hasMessage("burn-rate threshold must be a finite number above 0, was 0.0");
    assertThatThrownBy(() -> new BudgetRule(Severity.PAGE, 1.5, Duration.ZERO))
        .hasMessage("budget-remaining threshold must be within [0, 1), was 1.5");
    assertThatThrownBy(() -> AlertPolicy.of(List.of())).hasMessage("a custom alert policy needs at least one rule");
  }
}
