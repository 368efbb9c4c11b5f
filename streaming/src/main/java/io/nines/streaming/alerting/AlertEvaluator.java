package io.nines.streaming.alerting;

import io.nines.core.alerting.AlertPolicy;
import io.nines.core.alerting.AlertRule;
import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.BudgetRule;
import io.nines.core.alerting.BurnRateRule;
import io.nines.core.alerting.LatencyObservation;
import io.nines.core.alerting.LatencyRule;
import io.nines.core.alerting.Severity;
import io.nines.core.slo.CalendarPeriod;
import io.nines.core.slo.ErrorBudget;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Evaluates one SLO's rules at the end of a pane and moves its alerts through their lifecycle; pure, so the
 * rules are tested without Flink and {@link EvaluateAlerts} only keeps state and time.
 *
 * <p>Lifecycle per severity: inactive -> pending (a rule holds, its {@code alertAfter} has not elapsed) ->
 * firing -> resolved (no rule of the severity has held for {@link AlertPolicy#RESOLVE_AFTER}); a pending alert
 * whose rules stop holding resolves at once, without having fired. A page also resolves as soon as the service
 * has recovered ({@link #recovered}: the last {@link AlertPolicy#RECOVERY_WINDOW} burn at most
 * {@link AlertPolicy#RECOVERED_BURN_RATE}), unless a budget rule of the page holds; after such a recovery a
 * burn-rate rule raises the page again only once its short window lies wholly after the recovery and burns at
 * its threshold by itself, so the outage already paged, still in the long windows, cannot page twice, while a new
 * outage pages as a new incident. A firing page inhibits the ticket: while
 * the page fires the ticket is not evaluated, so it neither starts nor changes (the page already has a human's
 * attention); it resumes when the page resolves.
 *
 * <p>Latency rules hold on what {@link LatencyPanes} observed (the quantile over their lookback, with at least
 * {@link AlertPolicy#MIN_EVENTS} spans in it). A healthy error rate says nothing about latency, so a page is not
 * resolved on recovery while a latency rule holds or when one raised it: it resolves once no rule has held for
 * {@link AlertPolicy#RESOLVE_AFTER}, so a quantile hovering at its threshold does not page again and again.
 */
final class AlertEvaluator {

    /** A fresh alert state numbers its transitions from definition version x this, see {@link #nextSequence}. */
    static final long SEQUENCE_PER_VERSION = 1_000_000;

    private AlertEvaluator() {
    }

    /**
     * The transitions at {@code end}; updates {@code statuses} (by severity) in place.
     *
     * @param version the definition's version, which only grows (see {@link #nextSequence})
     * @param latencies what each latency rule of the policy sees at {@code end}; none for a rule without spans
     */
    static List<AlertTransition> evaluate(SloDefinition slo, long version, SloCounts counts,
                                          Map<LatencyRule, LatencyObservation> latencies,
                                          Map<Severity, AlertStatus> statuses, long end) {
        Window window = Window.of(slo.window(), end);
        List<AlertRule> rules = slo.alertPolicy().rulesFor(window.length());
        Map<Duration, long[]> sums = new HashMap<>();
        Map<String, Double> burnRates = burnRates(slo, rules, counts, end, sums);
        long[] budgetCounts = counts.budgetWindow(window.start(), end);
        double remaining = ErrorBudget.occurrences(slo.target(), budgetCounts[0], budgetCounts[1]).remaining();
        Map<String, LatencyObservation> latencyByRule = new HashMap<>();
        latencies.forEach((rule, seen) -> latencyByRule.put(rule.name(), seen));
        Facts facts = new Facts(slo, version, end, burnRates, 1 - remaining, latencyByRule);

        List<AlertTransition> transitions = new ArrayList<>();
        for (Severity severity : Severity.values()) {
            AlertStatus status = statuses.get(severity);
            if (severity == Severity.TICKET && isFiring(statuses.get(Severity.PAGE))) {
                continue;
            }
            List<AlertRule> held = rules.stream()
                    .filter(rule -> rule.severity() == severity)
                    .filter(rule -> rule instanceof LatencyRule latency
                            ? slow(latencies.get(latency))
                            : holds(rule, slo.target(), counts, end, sums, budgetCounts, remaining))
                    .toList();
            AlertStatus current = status;
            Optional<AlertRule> holding = held.stream()
                    .filter(rule -> !rearming(current, rule, end))
                    .min(Comparator.comparing(AlertRule::alertAfter));
            boolean recovered = severity == Severity.PAGE
                    && held.stream().noneMatch(rule -> rule instanceof BudgetRule || rule instanceof LatencyRule)
                    && !raisedByLatency(current, rules)
                    && recovered(slo.target(), sums.computeIfAbsent(AlertPolicy.RECOVERY_WINDOW,
                            lookback -> counts.over(lookback, end)));
            if (status == null) {
                if (holding.isEmpty()) {
                    continue;
                }
                status = new AlertStatus();
                statuses.put(severity, status);
            }
            step(severity, status, holding, recovered, facts).ifPresent(transitions::add);
            status.evaluatedAt = end;
        }
        return transitions;
    }

    /** The length of the SLO window at {@code end}: the rolling length, or the current calendar period's. */
    static Duration windowLength(TimeWindow window, long end) {
        return Window.of(window, end).length();
    }

    private static boolean isFiring(AlertStatus status) {
        return status != null && status.state.equals(AlertTransition.State.FIRING.label());
    }

    /** The alert's resolution because its SLO was deleted, at its last evaluation; empty when it was inactive. */
    static Optional<AlertTransition> resolveDeleted(SloDefinition slo, long version, Severity severity,
                                                    AlertStatus status) {
        if (!status.isActive()) {
            return Optional.empty();
        }
        status.rule = "definition deleted";
        return Optional.of(transition(severity, status, AlertTransition.State.RESOLVED,
                new Facts(slo, version, status.evaluatedAt, Map.of(), 0, Map.of())));
    }

    private static Optional<AlertTransition> step(Severity severity, AlertStatus status, Optional<AlertRule> holding,
                                                  boolean recovered, Facts facts) {
        long end = facts.end();
        if (recovered && status.isActive()) {
            status.recoveredAt = end;
            return Optional.of(transition(severity, status, AlertTransition.State.RESOLVED, facts));
        }
        if (holding.isPresent() && !recovered) {
            AlertRule rule = holding.get();
            status.lastHeld = end;
            if (!status.isActive()) {
                status.episodeStart = end;
                status.holdingSince = end;
            }
            if (!status.state.equals(AlertTransition.State.FIRING.label())
                    && end - status.holdingSince >= rule.alertAfter().toMillis()) {
                status.rule = rule.name();
                return Optional.of(transition(severity, status, AlertTransition.State.FIRING, facts));
            }
            if (!status.isActive()) {
                status.rule = rule.name();
                return Optional.of(transition(severity, status, AlertTransition.State.PENDING, facts));
            }
            return Optional.empty();
        }
        boolean pending = status.state.equals(AlertTransition.State.PENDING.label());
        if (pending || status.isActive() && end - status.lastHeld >= AlertPolicy.RESOLVE_AFTER.toMillis()) {
            return Optional.of(transition(severity, status, AlertTransition.State.RESOLVED, facts));
        }
        return Optional.empty();
    }

    private static AlertTransition transition(Severity severity, AlertStatus status, AlertTransition.State state,
                                              Facts facts) {
        SloDefinition slo = facts.slo();
        status.sequence = nextSequence(status.sequence, facts.version());
        status.state = state == AlertTransition.State.RESOLVED ? AlertStatus.INACTIVE : state.label();
        return new AlertTransition(slo.name(), slo.team(), slo.service(), severity, state, status.sequence,
                AlertTransition.incidentId(slo.name(), severity, Instant.ofEpochMilli(status.episodeStart)),
                Instant.ofEpochMilli(facts.end()), status.rule, facts.burnRates(), facts.budgetConsumed(),
                slo.notificationTargets(), Optional.ofNullable(facts.latencies().get(status.rule)));
    }

    /**
     * One more than the last; a fresh alert state (none yet, or cleared by a deletion) starts above every
     * number an earlier state of the same name could have used, at version x 1,000,000, because definition
     * versions only grow and are never reused. A replay from a checkpoint restores the counter, so a
     * transition emitted again carries the number it had.
     */
    static long nextSequence(long last, long version) {
        return last == 0 ? version * SEQUENCE_PER_VERSION + 1 : last + 1;
    }

    private static boolean holds(AlertRule rule, double target, SloCounts counts, long end,
                                 Map<Duration, long[]> sums, long[] budgetCounts, double remaining) {
        if (rule instanceof BurnRateRule burn) {
            long[] longWindow = sums.computeIfAbsent(burn.longWindow(), lookback -> counts.over(lookback, end));
            long[] shortWindow = sums.computeIfAbsent(burn.shortWindow(), lookback -> counts.over(lookback, end));
            return enoughEvents(longWindow)
                    && ErrorBudget.burnRate(target, longWindow[0], longWindow[1]) >= burn.threshold()
                    && ErrorBudget.burnRate(target, shortWindow[0], shortWindow[1]) >= burn.threshold();
        }
        BudgetRule budget = (BudgetRule) rule;
        return enoughEvents(budgetCounts) && remaining <= budget.remaining();
    }

    /** The active alert was raised by one of the latency {@code rules}. */
    private static boolean raisedByLatency(AlertStatus status, List<AlertRule> rules) {
        return status != null && status.isActive() && rules.stream()
                .anyMatch(rule -> rule instanceof LatencyRule && rule.name().equals(status.rule));
    }

    /** A latency rule holds: its quantile is over the threshold, over enough spans to mean something. */
    private static boolean slow(LatencyObservation seen) {
        return seen != null && seen.spans() >= AlertPolicy.MIN_EVENTS && seen.isOver();
    }

    /**
     * Recovered: the last {@link AlertPolicy#RECOVERY_WINDOW} hold enough events to judge ({@link
     * AlertPolicy#MIN_EVENTS}) and burn at most {@link AlertPolicy#RECOVERED_BURN_RATE}.
     */
    private static boolean recovered(double target, long[] recent) {
        return recent[1] >= AlertPolicy.MIN_EVENTS
                && ErrorBudget.burnRate(target, recent[0], recent[1]) <= AlertPolicy.RECOVERED_BURN_RATE;
    }

    /**
     * True while a burn-rate rule may not raise the inactive alert again after it resolved on recovery at
     * {@code recoveredAt}: until its short window [end - short, end) lies wholly after the recovery, whatever
     * it holds is the outage already paged (or the recovery itself).
     */
    private static boolean rearming(AlertStatus status, AlertRule rule, long end) {
        return status != null && !status.isActive() && status.recoveredAt != 0
                && rule instanceof BurnRateRule burn && end - burn.shortWindow().toMillis() < status.recoveredAt;
    }

    /** The low-traffic guard: {@link AlertPolicy#MIN_EVENTS} events, {@link AlertPolicy#MIN_BAD_EVENTS} bad ones. */
    private static boolean enoughEvents(long[] goodTotal) {
        return goodTotal[1] >= AlertPolicy.MIN_EVENTS && goodTotal[1] - goodTotal[0] >= AlertPolicy.MIN_BAD_EVENTS;
    }

    /** Burn rates over the standard lookbacks and every window a rule uses, shortest first, by label. */
    private static Map<String, Double> burnRates(SloDefinition slo, List<AlertRule> rules, SloCounts counts, long end,
                                                 Map<Duration, long[]> sums) {
        TreeMap<Duration, String> lookbacks = new TreeMap<>();
        ErrorBudget.BURN_RATE_LOOKBACKS.forEach((label, lookback) -> lookbacks.put(lookback, label));
        for (AlertRule rule : rules) {
            if (rule instanceof BurnRateRule burn) {
                lookbacks.putIfAbsent(burn.longWindow(), AlertRule.label(burn.longWindow()));
                lookbacks.putIfAbsent(burn.shortWindow(), AlertRule.label(burn.shortWindow()));
            }
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        lookbacks.forEach((lookback, label) -> {
            long[] goodTotal = sums.computeIfAbsent(lookback, l -> counts.over(l, end));
            rates.put(label, ErrorBudget.burnRate(slo.target(), goodTotal[0], goodTotal[1]));
        });
        return rates;
    }

    /**
     * What every transition of one evaluation reports; a transition caused by a latency rule also reports what
     * that rule saw ({@code latencies} by rule name).
     */
    private record Facts(SloDefinition slo, long version, long end, Map<String, Double> burnRates,
                         double budgetConsumed, Map<String, LatencyObservation> latencies) {
    }

    /** The SLO window at {@code end}: the rolling length before it, or the calendar period so far. */
    private record Window(long start, Duration length) {

        static Window of(TimeWindow window, long end) {
            if (window instanceof TimeWindow.Calendar calendar) {
                CalendarPeriod period = CalendarPeriod.containing(calendar, Instant.ofEpochMilli(end - 1));
                return new Window(period.start().toEpochMilli(), period.length());
            }
            Duration length = ((TimeWindow.Rolling) window).length();
            return new Window(end - length.toMillis(), length);
        }
    }
}
