package io.nines.core.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyRuleTest {

  private static LatencyRule rule(double quantile, Duration threshold, Duration lookback) {
    return new LatencyRule(Severity.PAGE, quantile, threshold, lookback, Duration.ZERO);
  }

  @Test
  void isNamedByQuantileThresholdAndLookback() {
    assertThat(rule(0.99, Duration.ofMillis(300), Duration.ofMinutes(5)).name()).isEqualTo("p99>300ms over 5m");
    assertThat(rule(0.999, Duration.ofSeconds(2), Duration.ofHours(1)).name()).isEqualTo("p99.9>2000ms over 1h");
    assertThat(rule(0.5, Duration.ofNanos(12_500_000), Duration.ofSeconds(90)).name())
        .isEqualTo("p50>12.5ms over 90s");
    assertThat(rule(0.95, Duration.ofNanos(500_000), Duration.ofSeconds(10)).name()).isEqualTo("p95>0.5ms over 10s");
    assertThat(LatencyRule.isNamed("p99.9>2000ms over 1h")).isTrue();
    assertThat(LatencyRule.isNamed("burnrate>=14.4 over 1h and 5m")).isFalse();
    assertThat(LatencyRule.isNamed("budgetRemaining<=0.1")).isFalse();
    assertThat(LatencyRule.isNamed("definition deleted")).isFalse();
  }

  @Test
  void isExceededOnlyAboveItsThreshold() {
    LatencyRule rule = rule(0.99, Duration.ofMillis(300), Duration.ofMinutes(5));

    assertThat(rule.thresholdMillis()).isEqualTo(300.0);
    assertThat(rule.isExceededBy(300.0)).isFalse();
    assertThat(rule.isExceededBy(300.001)).isTrue();
    assertThat(rule.isExceededBy(299.0)).isFalse();
  }

  @Test
  void refusesWhatTheStreamCannotEvaluate() {
    Duration ms300 = Duration.ofMillis(300);
    Duration m5 = Duration.ofMinutes(5);
    assertThatThrownBy(() -> rule(1.0, ms300, m5)).hasMessage("latency quantile must be above 0 and below 1, was 1.0");
    assertThatThrownBy(() -> rule(0, ms300, m5)).hasMessage("latency quantile must be above 0 and below 1, was 0.0");
    assertThatThrownBy(() -> rule(Double.NaN, ms300, m5))
        .hasMessage("latency quantile must be above 0 and below 1, was NaN");
    assertThatThrownBy(() -> rule(0.99, Duration.ZERO, m5)).hasMessage("latency threshold must be above 0, was PT0S");
    assertThatThrownBy(() -> rule(0.99, ms300, Duration.ofSeconds(5)))
        .hasMessage("latency lookbackWindow must be within [10s, 1h], was PT5S");
    assertThatThrownBy(() -> rule(0.99, ms300, Duration.ofMinutes(61)))
        .hasMessage("latency lookbackWindow must be within [10s, 1h], was PT1H1M");
    assertThatThrownBy(() -> rule(0.99, ms300, Duration.ofSeconds(45)))
        .hasMessage("latency lookbackWindow must be a whole number of 10-second panes, was PT45S");
    assertThatThrownBy(() -> new LatencyRule(Severity.PAGE, 0.99, ms300, m5, Duration.ofDays(2)))
        .hasMessage("alertAfter must be within [0, 1d], was PT48H");
    assertThatThrownBy(() -> new LatencyRule(null, 0.99, ms300, m5, Duration.ZERO)).hasMessage("severity");
  }

  @Test
  void anObservationSaysWhatTheRuleSaw() {
    LatencyRule rule = rule(0.99, Duration.ofMillis(300), Duration.ofMinutes(5));

    LatencyObservation observed = LatencyObservation.of(rule, 742.38, 3_000);

    assertThat(observed).isEqualTo(new LatencyObservation(0.99, Duration.ofMinutes(5), 300, 742.38, 3_000));
    assertThat(observed.isOver()).isTrue();
    assertThat(observed.summary()).isEqualTo("p99 was 742 ms over 5m (threshold 300 ms)");
    assertThat(LatencyObservation.of(rule, 31.416, 3_000).summary())
        .isEqualTo("p99 was 31.4 ms over 5m (threshold 300 ms)");
    assertThat(LatencyObservation.millisLabel(0.51234)).isEqualTo("0.512");
    assertThat(LatencyObservation.millisLabel(0)).isEqualTo("0");
    assertThatThrownBy(() -> new LatencyObservation(0.99, Duration.ofMinutes(5), 300, Double.NaN, 1))
        .hasMessage("observed latency must be a finite number of ms >= 0, was NaN");
    assertThatThrownBy(() -> new LatencyObservation(0.99, Duration.ofMinutes(5), 300, 1, 0))
        .hasMessage("an observed quantile needs at least one span, was 0");
  }
}
