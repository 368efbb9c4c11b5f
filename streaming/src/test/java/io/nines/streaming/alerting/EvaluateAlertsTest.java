package io.nines.streaming.alerting;

import static io.nines.streaming.alerting.AlertTraffic.SLO;
import static io.nines.streaming.alerting.AlertTraffic.availability;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.AlertTransition.State;
import io.nines.core.alerting.Severity;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alert evaluation on Flink's keyed broadcast harness, for a 99.9 % / 30-day availability SLO under the workbook
 * policy. Most tests start from the same state: three days of healthy traffic at 10 requests a second, so that
 * every burn-rate window, the 3-day one included, is full when the trouble begins at {@link #D}.
 */
class EvaluateAlertsTest {

    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
    /** Where the interesting traffic starts, after three healthy days. */
    private static final long D = T0 + 3 * 86_400;
    private static final double BUDGET = 1 - 0.999;
    private static final long FIRST_SEQUENCE = 1_000_001;
    private static final AlertTraffic.Failures NONE = (second, i) -> false;
    private static final AlertTraffic.Failures ALL = (second, i) -> true;

    private static OperatorSubtaskState threeHealthyDays;

    @BeforeAll
    static void runThreeHealthyDays() throws Exception {
        try (AlertTraffic traffic = AlertTraffic.fresh()) {
            traffic.define(1, availability(0.999, ""));
            traffic.run(T0, D, 10, NONE);
            assertThat(traffic.transitions()).isEmpty();
            threeHealthyDays = traffic.snapshot();
        }
    }

    @Test
    void pagesAtTheFirstPaneBoundaryAfterTheHourAndFiveMinutesBurnAt14point4() throws Exception {
        // independently: x seconds into a total outage at 10 req/s, the last hour holds 36000 events, 10x bad
        long x = 10;
        while (!((10.0 * x / 36_000) / BUDGET >= 14.4 && (Math.min(10.0 * x, 3_000) / 3_000) / BUDGET >= 14.4)) {
            x += 10;
        }
        assertThat(x).as("the 1h burn reaches 14.4 after 51.84 s, seen at the next pane end").isEqualTo(60);

        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, D + 120, 10, ALL);

            assertThat(traffic.transitions()).singleElement().satisfies(page -> {
                assertThat(page.alertId()).isEqualTo(SLO + "/page");
                assertThat(page.state()).isEqualTo(State.FIRING);
                assertThat(page.at()).isEqualTo(Instant.ofEpochSecond(D + 60));
                assertThat(page.sequence()).isEqualTo(FIRST_SEQUENCE);
                assertThat(page.incidentId()).isEqualTo(SLO + "/page/" + (D + 60) * 1000);
                assertThat(page.rule()).isEqualTo("burnrate>=14.4 over 1h and 5m");
                assertThat(page.team()).isEqualTo("payments");
                assertThat(page.service()).isEqualTo("checkout");
                assertThat(page.burnRates()).containsOnlyKeys("5m", "30m", "1h", "2h", "6h", "1d", "3d");
                assertThat(page.burnRates().get("5m")).isCloseTo(600.0 / 3_000 / BUDGET, within(1e-9));
                assertThat(page.burnRates().get("30m")).isCloseTo(600.0 / 18_000 / BUDGET, within(1e-9));
                assertThat(page.burnRates().get("1h")).isCloseTo(600.0 / 36_000 / BUDGET, within(1e-9));
                assertThat(page.burnRates().get("2h")).isCloseTo(600.0 / 72_000 / BUDGET, within(1e-9));
                assertThat(page.burnRates().get("6h")).isCloseTo(600.0 / 216_000 / BUDGET, within(1e-9));
                assertThat(page.burnRates().get("1d")).isCloseTo(600.0 / 864_000 / BUDGET, within(1e-9));
                assertThat(page.burnRates().get("3d")).isCloseTo(600.0 / 2_592_000 / BUDGET, within(1e-9));
                // the budget counts every event the stream has seen in the 30 days: 3 days and 60 s of them
                assertThat(page.budgetConsumed()).isCloseTo(600 / (BUDGET * 2_592_600), within(1e-9));
            });
        }
    }

    @Test
    void burningTenTimesTheBudgetPagesByTheSixHourRuleAndNeverByTheHourRule() throws Exception {
        // one bad request in every 10-second pane of 100: 1 % errors, burn rate 10 (under 14.4, over 6)
        AlertTraffic.Failures onePercent = (second, i) -> second % 10 == 0 && i == 0;
        long x = 10;
        while (!((x / 10.0 / 216_000) / BUDGET >= 6 && (Math.min(x, 1_800) / 10.0 / 18_000) / BUDGET >= 6)) {
            x += 10;
        }
        assertThat(x).as("6h burn reaches 6 after 3.6 h").isBetween(12_960L, 12_970L);

        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, D + x + 600, 10, onePercent);

            assertThat(traffic.transitions()).singleElement().satisfies(page -> {
                assertThat(page.severity()).isEqualTo(Severity.PAGE);
                assertThat(page.state()).isEqualTo(State.FIRING);
                assertThat(page.rule()).isEqualTo("burnrate>=6 over 6h and 30m");
                assertThat(page.burnRates().get("1h")).isCloseTo(360 / 36_000.0 / BUDGET, within(1e-9));
            });
            assertThat(traffic.transitions().get(0).at()).isEqualTo(Instant.ofEpochSecond(D + x));
        }
    }

    @Test
    void aFifteenPercentErrorRatePagesOnceThoughBothPageRulesComeToHold() throws Exception {
        // 15 bad requests in every 10-second pane of 100: a burn rate of 150 against the 0.1 % budget
        AlertTraffic.Failures fifteenPercent = (second, i) -> (second % 10) * 10 + i < 15;
        long hourRule = 10;
        while (!((1.5 * hourRule / 36_000) / BUDGET >= 14.4 && (Math.min(1.5 * hourRule, 450) / 3_000) / BUDGET >= 14.4)) {
            hourRule += 10;
        }
        long sixHourRule = 10;
        while (!((1.5 * sixHourRule / 216_000) / BUDGET >= 6
                && (Math.min(1.5 * sixHourRule, 2_700) / 18_000) / BUDGET >= 6)) {
            sixHourRule += 10;
        }
        assertThat(hourRule).as("1h burn reaches 14.4 after 345.6 s").isEqualTo(350);
        assertThat(sixHourRule).as("6h burn reaches 6 after 864 s").isEqualTo(870);
        long paged = hourRule;

        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, D + sixHourRule + 600, 10, fifteenPercent);

            // the 1h/5m rule pages first; when the 6h/30m rule comes to hold too, the same page stays firing
            assertThat(traffic.transitions()).singleElement().satisfies(page -> {
                assertThat(page.severity()).isEqualTo(Severity.PAGE);
                assertThat(page.state()).isEqualTo(State.FIRING);
                assertThat(page.at()).isEqualTo(Instant.ofEpochSecond(D + paged));
                assertThat(page.rule()).isEqualTo("burnrate>=14.4 over 1h and 5m");
                assertThat(page.burnRates().get("5m")).isCloseTo(0.15 / BUDGET, within(1e-9));
                assertThat(page.burnRates().get("30m")).isCloseTo(1.5 * paged / 18_000 / BUDGET, within(1e-9));
            });
        }
    }

    @Test
    void burningHalfTheBudgetRaisesNothing() throws Exception {
        // 0.05 % errors: one bad request in 2000, burn rate 0.5, under every threshold (the lowest is 1)
        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, D + 6 * 3_600, 10, (second, i) -> second % 200 == 0 && i == 0);

            assertThat(traffic.transitions()).isEmpty();
        }
    }

    @Test
    void aServiceWithFiveRequestsAnHourDoesNotPageOnABurstOfFailures() throws Exception {
        try (AlertTraffic traffic = AlertTraffic.fresh()) {
            traffic.define(1, availability(0.999, ""));
            for (long hour = 0; hour < 3; hour++) {
                for (long request = 0; request < 5; request++) {
                    traffic.request(T0 + hour * 3_600 + request * 720, false);
                }
            }
            // three failures within a minute: the last hour holds 8 events, 3 bad, a burn rate of 375, yet
            // no window holds the 20 events a rule needs
            long burst = T0 + 3 * 3_600;
            for (long request = 0; request < 3; request++) {
                traffic.request(burst + request * 20, true);
            }
            traffic.quietUntil(burst + 3_600);

            assertThat(traffic.transitions()).isEmpty();
        }
    }

    @Test
    void resolvesAfterRecoveryWhileTheFiringPageInhibitsTheTicket() throws Exception {
        long recovery = D + 300;
        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, recovery, 10, ALL);
            traffic.run(recovery, recovery + 22_000, 10, NONE);

            // page: fires at +60 s; after recovery the 1h/5m rule holds until its 5m window is clean (+290 s),
            // the 6h/30m rule until fewer than 108 bad events remain in its 30m window (+1780 s), but the page
            // resolves on recovery, once the last 2 minutes are clean (+120 s). The 3d/6h ticket rule holds from
            // +260 s of outage, but the firing page inhibits it; once the page resolves the ticket fires (1d burn
            // 3.47, 2h burn 41.7): tickets do not resolve on recovery, and this one resolves 5 minutes
            // after its 6h window, in whole minutes, last holds the outage's last minute (+21540 s).
            assertThat(traffic.transitions()).extracting(t -> t.alertId() + " " + t.state().label() + " at "
                    + (t.at().getEpochSecond() - recovery) + " #" + t.sequence() + " " + t.rule()).containsExactly(
                    SLO + "/page firing at -240 #1000001 burnrate>=14.4 over 1h and 5m",
                    SLO + "/page resolved at 120 #1000002 burnrate>=14.4 over 1h and 5m",
                    SLO + "/ticket firing at 120 #1000001 burnrate>=3 over 1d and 2h",
                    SLO + "/ticket resolved at 21840 #1000002 burnrate>=3 over 1d and 2h");
            assertThat(traffic.transitions()).extracting(AlertTransition::incidentId).containsExactly(
                    SLO + "/page/" + (D + 60) * 1000, SLO + "/page/" + (D + 60) * 1000,
                    SLO + "/ticket/" + (recovery + 120) * 1000, SLO + "/ticket/" + (recovery + 120) * 1000);
        }
    }

    @Test
    void aPageResolvesWithinFiveMinutesOfRecoveryAndASecondOutagePagesAsANewIncident() throws Exception {
        long recovery = D + 600;
        long secondOutage = recovery + 1_200;
        // independently: the first pane end after `from` whose last 2 minutes hold >= 20 events burning <= 1,
        // at 10 req/s with every event of [outageStart, outageEnd) bad
        long resolved = firstRecoveredPaneEnd(D, recovery);
        assertThat(resolved).as("two clean minutes after recovery").isEqualTo(recovery + 120);
        assertThat(resolved - recovery).as("at most 5 minutes after the first healthy pane")
                .isLessThanOrEqualTo(300);

        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, recovery, 10, ALL);
            // healthy for 20 minutes: the 1h/5m rule still holds until +290 s and the 6h/30m rule until
            // +1780 s on the outage they remember, and neither pages again
            traffic.run(recovery, secondOutage, 10, NONE);
            traffic.run(secondOutage, secondOutage + 600, 10, ALL);
            traffic.run(secondOutage + 600, secondOutage + 1_200, 10, NONE);

            long secondResolved = firstRecoveredPaneEnd(secondOutage, secondOutage + 600);
            assertThat(secondResolved).isEqualTo(secondOutage + 720);
            assertThat(traffic.transitions()).extracting(t -> t.alertId() + " " + t.state().label() + " at "
                    + (t.at().getEpochSecond() - D) + " #" + t.sequence() + " " + t.incidentId()).containsExactly(
                    SLO + "/page firing at 60 #1000001 " + SLO + "/page/" + (D + 60) * 1000,
                    SLO + "/page resolved at " + (resolved - D) + " #1000002 " + SLO + "/page/" + (D + 60) * 1000,
                    // the ticket, inhibited while the page fired, is evaluated again from its resolution on
                    SLO + "/ticket firing at " + (resolved - D) + " #1000001 " + SLO + "/ticket/" + resolved * 1000,
                    // the 1h window still holds the first outage, so the 5m window decides: 4.32 s of outage
                    // reach 14.4, seen at the first pane end
                    SLO + "/page firing at " + (secondOutage + 10 - D) + " #1000003 "
                            + SLO + "/page/" + (secondOutage + 10) * 1000,
                    SLO + "/page resolved at " + (secondResolved - D) + " #1000004 "
                            + SLO + "/page/" + (secondOutage + 10) * 1000);
        }
    }

    @Test
    void aFewErrorsJustAfterRecoveryDoNotPageTheSameOutageAgain() throws Exception {
        long recovery = D + 600;
        long resolved = recovery + 120;
        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, recovery, 10, ALL);
            traffic.run(recovery, resolved, 10, NONE);
            // three failed requests in the next pane: the last 2 minutes burn 3 / 1200 / 0.001 = 2.5, no longer
            // recovered, while the 1h/5m rule still holds on the outage in both its windows (until +290 s)
            traffic.run(resolved, resolved + 10, 10, (second, i) -> second == resolved && i < 3);
            traffic.run(resolved + 10, resolved + 1_800, 10, NONE);

            assertThat(traffic.transitions()).filteredOn(t -> t.severity() == Severity.PAGE)
                    .extracting(t -> t.state().label() + " at " + (t.at().getEpochSecond() - recovery))
                    .containsExactly("firing at -540", "resolved at 120");
        }
    }

    @Test
    void aPageWhoseTrafficStopsResolvesFiveMinutesAfterItsRulesStopHolding() throws Exception {
        long outageEnd = D + 600;
        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, outageEnd, 10, ALL);
            traffic.quietUntil(outageEnd + 3_600);

            // no events to judge a recovery by: the 6h/30m rule holds while its 30m window reaches into the
            // outage (last at the pane end 1790 s after it), and the page resolves 5 minutes after that
            long lastHeld = outageEnd + 1_800 - 10;
            assertThat(traffic.transitions()).extracting(t -> t.alertId() + " " + t.state().label() + " at "
                    + (t.at().getEpochSecond() - outageEnd)).startsWith(
                    SLO + "/page firing at -540",
                    SLO + "/page resolved at " + (lastHeld + 300 - outageEnd));
        }
    }

    @Test
    void anErrorRateHoveringAtThePageThresholdPagesOnceAndStaysFiring() throws Exception {
        // bad requests per 10-second pane of 100 cycle 1, 2, 0, 3, 1, 2: 1.5 % on average, a burn rate of 15
        // that the 5m window sees between about 13 and 17 and the 1h window reaches 14.4 after 57.6 minutes
        int[] cycle = {1, 2, 0, 3, 1, 2};
        AlertTraffic.Failures hovering = (second, i) -> second % 10 == 0 && i < cycle[(int) ((second / 10) % 6)];
        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, D + 2 * 3_600, 10, hovering);

            assertThat(traffic.transitions()).singleElement().satisfies(page -> {
                assertThat(page.severity()).isEqualTo(Severity.PAGE);
                assertThat(page.state()).isEqualTo(State.FIRING);
                assertThat(page.rule()).isEqualTo("burnrate>=14.4 over 1h and 5m");
            });
            // independently: the first pane end at which the hour and the 5 minutes before it both burn >= 14.4
            long fires = D + 10;
            while (!(hoveringBurn(cycle, fires, 3_600) >= 14.4 && hoveringBurn(cycle, fires, 300) >= 14.4)) {
                fires += 10;
            }
            assertThat(fires - D).as("the 1h burn reaches 14.4 after 57.6 min").isBetween(3_450L, 3_600L);
            assertThat(traffic.transitions().get(0).at()).isEqualTo(Instant.ofEpochSecond(fires));
        }
    }

    /** The burn rate over [end - lookback, end) of the hovering traffic, which starts at {@link #D}. */
    private static double hoveringBurn(int[] cycle, long end, long lookback) {
        long bad = 0;
        for (long pane = Math.max(D, end - lookback); pane < end; pane += 10) {
            bad += cycle[(int) ((pane / 10) % 6)];
        }
        return (bad / (10.0 * lookback)) / BUDGET;
    }

    /** The first pane end after {@code outageEnd} at which the last 2 minutes hold 20 events burning at most 1. */
    private static long firstRecoveredPaneEnd(long outageStart, long outageEnd) {
        for (long end = outageEnd + 10; ; end += 10) {
            long from = end - 120;
            long bad = 10 * Math.max(0, Math.min(end, outageEnd) - Math.max(from, outageStart));
            if ((bad / 1_200.0) / BUDGET <= 1) {
                return end;
            }
        }
    }

    @Test
    void aBudgetRuleWaitsForAlertAfterAndPagesWhenUnderTenPercentRemain() throws Exception {
        String policy = "[{kind: AlertPolicy, metadata: {name: budget},"
                + " spec: {notificationTargets: [{targetRef: pager}],"
                + " conditions: [{kind: AlertCondition, metadata: {name: low}, spec: {severity: page,"
                + " condition: {kind: nines.budgetRemaining, op: lte, threshold: 0.1, alertAfter: 30s}}}]}}]";
        try (AlertTraffic traffic = AlertTraffic.fresh()) {
            traffic.define(1, availability(0.99, policy));
            // 1 % errors against a 1 % budget: all of it spent once the guard's 2 bad events are in (+20 s)
            traffic.run(T0, T0 + 60, 10, (second, i) -> second % 10 == 0 && i == 0);

            assertThat(traffic.transitions()).extracting(t -> t.state().label()
                    + " at " + (t.at().getEpochSecond() - T0)
                    + " " + t.rule() + " " + t.notificationTargets()).containsExactly(
                    "pending at 20 budgetRemaining<=0.1 [pager]",
                    "firing at 50 budgetRemaining<=0.1 [pager]");
            assertThat(traffic.transitions().get(1).budgetConsumed()).isCloseTo(5 / (0.01 * 500), within(1e-9));
        }
    }

    @Test
    void deletingTheDefinitionResolvesItsAlertAndClearsStateAndTimers() throws Exception {
        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, D + 60, 10, ALL);
            traffic.delete();

            assertThat(traffic.transitions()).extracting(t -> t.state().label() + " #" + t.sequence() + " " + t.rule())
                    .containsExactly("firing #1000001 burnrate>=14.4 over 1h and 5m",
                            "resolved #1000002 definition deleted");
            assertThat(traffic.transitions().get(1).at()).isEqualTo(Instant.ofEpochSecond(D + 60));
            assertThat(traffic.keyedStateEntries()).isZero();

            // the pane timer set before the deletion fires once, finds no definition and sets no other
            traffic.quietUntil(D + 120);
            assertThat(traffic.harness.numEventTimeTimers()).isZero();
            assertThat(traffic.keyedStateEntries()).isZero();
            assertThat(traffic.transitions()).hasSize(2);
        }
    }

    @Test
    void aRestoreAfterTheFiringEmitsNoSecondFiring() throws Exception {
        OperatorSubtaskState firing;
        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, D + 60, 10, ALL);
            assertThat(traffic.transitions()).hasSize(1);
            firing = traffic.snapshot();
        }
        try (AlertTraffic restored = AlertTraffic.restoredFrom(firing)) {
            restored.run(D + 60, D + 240, 10, ALL);

            assertThat(restored.transitions()).isEmpty();
        }
    }

    @Test
    void aTransitionReplayedAfterARestoreKeepsItsSequenceAndIncident() throws Exception {
        OperatorSubtaskState beforeFiring;
        AlertTransition first;
        try (AlertTraffic traffic = AlertTraffic.restoredFrom(threeHealthyDays)) {
            traffic.run(D, D + 50, 10, ALL);
            beforeFiring = traffic.snapshot();
            traffic.run(D + 50, D + 60, 10, ALL);
            first = traffic.transitions().get(0);
        }
        try (AlertTraffic replay = AlertTraffic.restoredFrom(beforeFiring)) {
            replay.run(D + 50, D + 60, 10, ALL);

            assertThat(replay.transitions()).containsExactly(first);
        }
    }
}
