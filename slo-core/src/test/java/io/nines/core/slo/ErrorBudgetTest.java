package io.nines.core.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ErrorBudgetTest {

  private static final Duration THIRTY_DAYS = Duration.ofDays(30);

  @Test
  void oneHourAtBurnRate14point4ConsumesTwoPercentOfAThirtyDayBudget() {
    assertThat(ErrorBudget.consumedBy(14.4, Duration.ofHours(1), THIRTY_DAYS)).isCloseTo(0.02, within(1e-12));
    assertThat(ErrorBudget.consumedBy(6, Duration.ofHours(6), THIRTY_DAYS)).isCloseTo(0.05, within(1e-12));
    assertThat(ErrorBudget.consumedBy(3, Duration.ofDays(1), THIRTY_DAYS)).isCloseTo(0.10, within(1e-12));
    assertThat(ErrorBudget.consumedBy(1, Duration.ofDays(3), THIRTY_DAYS)).isCloseTo(0.10, within(1e-12));
  }

  @Test
  void theWorkbookCaseFromCountsOfSteadyTraffic() {
    // 99.9 % over 30 days at 1000 events a minute; one hour fails 1.44 % of its events (burn rate 14.4)
    long perMinute = 1000;
    long total = 30L * 24 * 60 * perMinute;
    long badInTheHour = 60 * 14;  // 1.4 % of 60 000: burn 14
    long badAt144 = Math.round(60 * perMinute * 0.0144);
    assertThat(badAt144).isEqualTo(864);
    ErrorBudget budget = ErrorBudget.occurrences(0.999, total - badAt144, total);
    assertThat(budget.total()).isCloseTo(43_200, within(1e-6));
    assertThat(budget.consumed()).isEqualTo(864);
    assertThat(1 - budget.remaining()).isCloseTo(0.02, within(1e-12));
    assertThat(ErrorBudget.burnRate(0.999, 60 * perMinute - badAt144, 60 * perMinute)).isCloseTo(14.4, within(1e-9));
    assertThat(ErrorBudget.burnRate(0.999, 60 * perMinute - badInTheHour, 60 * perMinute)).isCloseTo(14, within(1e-9));
  }

  @Test
  void occurrencesBudgetIsTheAllowedShareOfEvents() {
    ErrorBudget budget = ErrorBudget.occurrences(0.99, 9_950, 10_000);
    assertThat(budget.total()).isCloseTo(100, within(1e-9));
    assertThat(budget.consumed()).isEqualTo(50);
    assertThat(budget.remaining()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void anOverspentBudgetGoesNegative() {
    ErrorBudget budget = ErrorBudget.occurrences(0.99, 9_700, 10_000);
    assertThat(budget.remaining()).isCloseTo(-2, within(1e-12));
  }

  @Test
  void noEventsLeaveTheWholeBudgetAndNoSli() {
    ErrorBudget budget = ErrorBudget.occurrences(0.999, 0, 0);
    assertThat(budget.total()).isZero();
    assertThat(budget.consumed()).isZero();
    assertThat(budget.remaining()).isEqualTo(1);
    assertThat(ErrorBudget.sli(0, 0)).isEmpty();
    assertThat(ErrorBudget.burnRate(0.999, 0, 0)).isZero();
  }

  @Test
  void sliIsGoodOverTotal() {
    assertThat(ErrorBudget.sli(999, 1000)).hasValue(0.999);
  }

  @Test
  void timeslicesBudgetCountsSlices() {
    // 30 days of 5-minute slices: 8640 slices, 99 % of them must be good
    long slices = ErrorBudget.slicesIn(THIRTY_DAYS, Duration.ofMinutes(5));
    assertThat(slices).isEqualTo(8_640);
    ErrorBudget budget = ErrorBudget.timeslices(0.99, slices, 20);
    assertThat(budget.total()).isCloseTo(86.4, within(1e-9));
    assertThat(budget.consumed()).isEqualTo(20);
    assertThat(budget.remaining()).isCloseTo(1 - 20 / 86.4, within(1e-12));
  }

  @Test
  void aSliceIsGoodWhenItsRatioReachesTheSliceTargetAndWhenEmpty() {
    assertThat(ErrorBudget.isGoodSlice(95, 100, 0.95)).isTrue();
    assertThat(ErrorBudget.isGoodSlice(94, 100, 0.95)).isFalse();
    assertThat(ErrorBudget.isGoodSlice(0, 0, 0.95)).isTrue();
  }

  @Test
  void slicesAreAlignedToTheEpoch() {
    Duration five = Duration.ofMinutes(5);
    assertThat(ErrorBudget.firstSliceStart(Instant.parse("2026-03-01T12:00:00Z"), five))
        .isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
    assertThat(ErrorBudget.firstSliceStart(Instant.parse("2026-03-01T12:01:00Z"), five))
        .isEqualTo(Instant.parse("2026-03-01T12:05:00Z"));
    assertThat(ErrorBudget.slicesIn(Duration.ofMinutes(11), five)).isEqualTo(3);
  }

  @Test
  void burnRateIsTheBadShareOverTheAllowedShare() {
    assertThat(ErrorBudget.burnRate(0.99, 98, 100)).isCloseTo(2, within(1e-9));
    assertThat(ErrorBudget.burnRate(0.99, 100, 100)).isZero();
  }

  @Test
  void exhaustionIsRemainingBudgetOverTheCurrentBurn() {
    // half the budget left, burning at 2: a 30-day window's half lasts 15 days at 1, 7.5 days at 2
    assertThat(ErrorBudget.timeToExhaustion(0.5, THIRTY_DAYS, 2)).contains(Duration.ofHours(180));
    assertThat(ErrorBudget.timeToExhaustion(0.5, THIRTY_DAYS, 0)).isEmpty();
    assertThat(ErrorBudget.timeToExhaustion(-0.1, THIRTY_DAYS, 3)).contains(Duration.ZERO);
    assertThat(ErrorBudget.timeToExhaustion(0, THIRTY_DAYS, 0)).contains(Duration.ZERO);
  }

  @Test
  void refusesImpossibleCounts() {
    assertThatThrownBy(() -> ErrorBudget.occurrences(0.99, 11, 10))
        .hasMessage("good must be within [0, total], was good=11 total=10");
    assertThatThrownBy(() -> ErrorBudget.burnRate(1.5, 1, 1)).hasMessage("target must be within (0, 1), was 1.5");
    assertThatThrownBy(() -> ErrorBudget.timeslices(0.99, 5, 6))
        .hasMessage("bad slices must be within [0, slices], were 6 of 5");
  }
}
