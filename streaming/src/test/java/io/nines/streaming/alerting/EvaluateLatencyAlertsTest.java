package io.nines.streaming.alerting;

import static io.nines.streaming.alerting.AlertTraffic.SLO;
import static io.nines.streaming.alerting.AlertTraffic.USUAL_MILLIS;
import static io.nines.streaming.alerting.AlertTraffic.availability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.AlertTransition.State;
import io.nines.core.alerting.LatencyObservation;
import io.nines.core.latency.LatencyHistogram;
import io.nines.streaming.slo.SloEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Latency rules on Flink's keyed broadcast harness: "page when the p99 of checkout is over 300 ms over 5 minutes"
 * on an SLO of service checkout, with 10 requests a second that take {@value AlertTraffic#USUAL_MILLIS} ms unless
 * a test slows some of them down. Ten healthy minutes fill the 5-minute lookback before the trouble starts at
 * {@link #S}.
 */
class EvaluateLatencyAlertsTest {

    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
    /** Where the slow traffic starts, after ten healthy minutes. */
    private static final long S = T0 + 600;
    private static final double SLOW_MILLIS = 800;
    private static final AlertTraffic.Failures NONE = (second, i) -> false;
    private static final AlertTraffic.Latencies USUAL = (second, i) -> USUAL_MILLIS;
    /** Two requests of every 10-second pane of 100 take 800 ms from {@link #S} on: 2 % slow. */
    private static final AlertTraffic.Latencies TWO_PERCENT_SLOW =
            (second, i) -> second % 10 == 0 && i < 2 ? SLOW_MILLIS : USUAL_MILLIS;
    private static final String P99_OVER_300MS = "[{kind: AlertPolicy, metadata: {name: latency},"
            + " spec: {notificationTargets: [{targetRef: pager}],"
            + " conditions: [{kind: AlertCondition, metadata: {name: slow-checkout}, spec: {severity: page,"
            + " condition: {kind: nines.latency, op: gt, quantile: 0.99, threshold: 300ms, lookbackWindow: 5m}}}]}}]";

    private static AlertTraffic slowCheckoutPolicy() throws Exception {
        AlertTraffic traffic = AlertTraffic.fresh();
        traffic.define(1, availability(0.999, P99_OVER_300MS));
        traffic.run(T0, S, 10, NONE, USUAL);
        assertThat(traffic.transitions()).isEmpty();
        return traffic;
    }

    /** The value a sketch reports for spans that all took {@code millis}: their bucket's, within 1 % of it. */
    private static double sketched(double millis) {
        LatencyHistogram one = new LatencyHistogram();
        one.record(millis);
        return one.quantile(0.99);
    }

    /**
     * Whether the exact p99 of the 3000 spans of a full 5-minute window is slow when {@code slow} of them took 800
     * ms: the value of rank floor(0.99 x 2999) = 2969 in ascending order, slow when the 3000 - slow fast ones do
     * not reach it.
     */
    private static boolean p99IsSlow(long slow) {
        long rank = (long) Math.floor(0.99 * (3_000 - 1));
        return rank >= 3_000 - slow;
    }

    @Test
    void pagesWhenP99OfTheServiceStaysOver300msFor5Minutes() throws Exception {
        // independently: the first pane end after S whose 5-minute window holds enough slow spans for its p99
        long fires = S + 10;
        while (!p99IsSlow(2 * Math.min(30, (fires - S) / 10))) {
            fires += 10;
        }
        assertThat(fires - S).as("31 of 3000 slow spans make the p99 slow: 16 panes in").isEqualTo(160);

        try (AlertTraffic traffic = slowCheckoutPolicy()) {
            traffic.run(S, S + 900, 10, NONE, TWO_PERCENT_SLOW);

            assertThat(traffic.transitions()).singleElement().satisfies(page -> {
                assertThat(page.alertId()).isEqualTo(SLO + "/page");
                assertThat(page.state()).isEqualTo(State.FIRING);
                assertThat(page.at()).isEqualTo(Instant.ofEpochSecond(S + 160));
                assertThat(page.incidentId()).isEqualTo(SLO + "/page/" + (S + 160) * 1000);
                assertThat(page.rule()).isEqualTo("p99>300ms over 5m");
                assertThat(page.notificationTargets()).containsExactly("pager");
                assertThat(page.burnRates().get("5m")).isZero();
                LatencyObservation seen = page.latency().orElseThrow();
                assertThat(seen.quantile()).isEqualTo(0.99);
                assertThat(seen.lookback()).isEqualTo(Duration.ofMinutes(5));
                assertThat(seen.thresholdMillis()).isEqualTo(300.0);
                assertThat(seen.spans()).isEqualTo(3_000);
                assertThat(seen.observedMillis()).isEqualTo(sketched(SLOW_MILLIS))
                        .isCloseTo(SLOW_MILLIS, withinPercentage(1));
                assertThat(seen.summary()).isEqualTo("p99 was " + Math.round(sketched(SLOW_MILLIS))
                        + " ms over 5m (threshold 300 ms)");
            });
            // only the lookback's 30 panes are kept (the timer of the pane after the last has not fired yet)
            assertThat(traffic.latencyPanes()).isEqualTo(30);
        }
    }

    @Test
    void doesNotPageWhenOnlyTheTailBeyondP99IsOverTheThreshold() throws Exception {
        // of every pane of 100: 1 request takes 800 ms and 5 take 280 ms, so the p95 is 280 ms, 5.6 times the
        // usual, and the slowest 1 % is over 300 ms, but the p99 (rank 2969 of 3000) is one of the 280 ms ones
        AlertTraffic.Latencies tail = (second, i) -> second % 10 != 0 ? USUAL_MILLIS
                : i == 0 ? SLOW_MILLIS : i <= 5 ? 280 : USUAL_MILLIS;
        assertThat(p99IsSlow(30)).as("30 of 3000 at 800 ms do not reach rank 2969").isFalse();
        assertThat(p99IsSlow(30 + 150)).as("with the 280 ms ones the p99 is 280 ms").isTrue();

        try (AlertTraffic traffic = slowCheckoutPolicy()) {
            traffic.run(S, S + 3_600, 10, NONE, tail);

            assertThat(traffic.transitions()).isEmpty();
        }
    }

    @Test
    void resolvesFiveMinutesAfterTheP99IsBackUnderTheThreshold() throws Exception {
        long recovery = S + 600;
        // independently: after the recovery, the window holds 2 slow spans per pane before it; the rule holds
        // while they are 31 or more, and the page resolves 5 minutes after it last held
        long lastHeld = recovery;
        while (p99IsSlow(2 * Math.max(0, (recovery - (lastHeld + 10 - 300)) / 10))) {
            lastHeld += 10;
        }
        assertThat(lastHeld - recovery).isEqualTo(140);

        try (AlertTraffic traffic = slowCheckoutPolicy()) {
            traffic.run(S, recovery, 10, NONE, TWO_PERCENT_SLOW);
            traffic.run(recovery, recovery + 900, 10, NONE, USUAL);

            // no error at all, yet the page does not resolve "on recovery": a healthy error rate says nothing
            // about latency
            assertThat(traffic.transitions()).extracting(t -> t.state().label() + " at "
                    + (t.at().getEpochSecond() - recovery) + " #" + t.sequence() + " " + t.rule()).containsExactly(
                    "firing at -440 #1000001 p99>300ms over 5m",
                    "resolved at " + (lastHeld + 300 - recovery) + " #1000002 p99>300ms over 5m");
            AlertTransition resolved = traffic.transitions().get(1);
            assertThat(resolved.incidentId()).isEqualTo(SLO + "/page/" + (S + 160) * 1000);
            assertThat(resolved.latency().orElseThrow().observedMillis()).isEqualTo(sketched(USUAL_MILLIS));
        }
    }

    @Test
    void waitsForAlertAfterBeforeFiring() throws Exception {
        String policy = P99_OVER_300MS.replace("lookbackWindow: 5m", "lookbackWindow: 5m, alertAfter: 2m");
        try (AlertTraffic traffic = AlertTraffic.fresh()) {
            traffic.define(1, availability(0.999, policy));
            traffic.run(T0, S, 10, NONE, USUAL);
            traffic.run(S, S + 600, 10, NONE, TWO_PERCENT_SLOW);

            assertThat(traffic.transitions()).extracting(t -> t.state().label() + " at "
                    + (t.at().getEpochSecond() - S)).containsExactly("pending at 160", "firing at 280");
            assertThat(traffic.transitions()).allSatisfy(t -> assertThat(t.latency()).isPresent());
        }
    }

    @Test
    void aQuietServicePagesOnlyOnceItsLookbackHoldsTwentySpans() throws Exception {
        try (AlertTraffic traffic = AlertTraffic.fresh()) {
            traffic.define(1, availability(0.999, P99_OVER_300MS));
            // 19 requests in 5 minutes, all slow: a p99 of 800 ms, but under the 20 spans a rule needs
            for (long request = 0; request < 19; request++) {
                slowRequest(traffic, T0 + request * 15);
            }
            traffic.quietUntil(T0 + 280);
            assertThat(traffic.transitions()).isEmpty();

            slowRequest(traffic, T0 + 280);
            traffic.quietUntil(T0 + 290);

            assertThat(traffic.transitions()).singleElement().satisfies(page -> {
                assertThat(page.at()).isEqualTo(Instant.ofEpochSecond(T0 + 290));
                assertThat(page.latency().orElseThrow().spans()).isEqualTo(20);
            });
        }
    }

    private static void slowRequest(AlertTraffic traffic, long second) throws Exception {
        traffic.harness.processElement(new SloEvent(SLO, "", true, second * 1000, SLOW_MILLIS), second * 1000);
    }

    @Test
    void anSloWithoutLatencyRulesKeepsNoLatencySketches() throws Exception {
        try (AlertTraffic traffic = AlertTraffic.fresh()) {
            traffic.define(1, availability(0.999, ""));
            traffic.run(T0, S, 10, NONE, TWO_PERCENT_SLOW);

            assertThat(traffic.latencyPanes()).isZero();
            assertThat(traffic.transitions()).isEmpty();
        }
    }

    @Test
    void aPolicyThatDropsItsLatencyRulesForgetsTheSketches() throws Exception {
        try (AlertTraffic traffic = slowCheckoutPolicy()) {
            assertThat(traffic.latencyPanes()).isEqualTo(30);
            traffic.define(2, availability(0.999, ""));
            traffic.run(S, S + 10, 10, NONE, USUAL);

            assertThat(traffic.latencyPanes()).isZero();
        }
    }

    @Test
    void deletingTheDefinitionResolvesTheLatencyPageAndClearsSketchesStateAndTimers() throws Exception {
        try (AlertTraffic traffic = slowCheckoutPolicy()) {
            traffic.run(S, S + 200, 10, NONE, TWO_PERCENT_SLOW);
            assertThat(traffic.latencyPanes()).isEqualTo(30);
            traffic.delete();

            assertThat(traffic.transitions()).extracting(t -> t.state().label() + " at "
                    + (t.at().getEpochSecond() - S) + " " + t.rule() + " " + t.latency().isPresent()).containsExactly(
                    "firing at 160 p99>300ms over 5m true",
                    "resolved at 200 definition deleted false");
            assertThat(traffic.keyedStateEntries()).isZero();
            assertThat(traffic.latencyPanes()).isZero();

            traffic.quietUntil(S + 260);
            assertThat(traffic.harness.numEventTimeTimers()).isZero();
            assertThat(traffic.keyedStateEntries()).isZero();
            assertThat(traffic.transitions()).hasSize(2);
        }
    }
}
