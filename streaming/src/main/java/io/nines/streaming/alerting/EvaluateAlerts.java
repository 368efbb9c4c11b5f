package io.nines.streaming.alerting;

import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.BurnRateRule;
import io.nines.core.alerting.LatencyObservation;
import io.nines.core.alerting.LatencyRule;
import io.nines.core.alerting.Severity;
import io.nines.streaming.slo.EvaluateSlos;
import io.nines.streaming.slo.SloChange;
import io.nines.streaming.slo.SloEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Burn-rate alerting per SLO, keyed by SLO name, with the definitions broadcast as for {@link EvaluateSlos}.
 *
 * <p>Events are counted into open 10-second panes of event time; an event-time timer at each pane's end folds
 * it into the SLO's rings ({@link SloCounts}) and evaluates every rule ({@link AlertEvaluator}), so an outage
 * is seen at the first pane boundary after the rules start to hold, not when a minute closes. While the SLO
 * has events within three days or an active alert, each evaluation sets the timer of the next pane, so alerts
 * also resolve when traffic stops; after that the state is cleared and no timer remains. A late event (its
 * pane already evaluated) is folded into its pane and counts from the next evaluation on.
 *
 * <p>SLOs whose policy has latency rules also keep a latency sketch per pane ({@link LatencyPanes}), of the spans
 * the SLO selects as its total, for as long back as their longest latency lookback; each evaluation reads every
 * latency rule's quantile from them. Other SLOs keep none.
 *
 * <p>A deleted definition resolves the SLO's active alerts at once and clears its state; a timer still set
 * fires once, finds no definition, and sets no other.
 */
public final class EvaluateAlerts extends KeyedBroadcastProcessFunction<String, SloEvent, SloChange, AlertTransition> {

    private static final MapStateDescriptor<Long, long[]> OPEN_PANES = new MapStateDescriptor<>(
            "alert-open-panes", Types.LONG, TypeInformation.of(long[].class));
    private static final ValueStateDescriptor<SloCounts> COUNTS =
            new ValueStateDescriptor<>("alert-counts", TypeInformation.of(SloCounts.class));
    private static final MapStateDescriptor<String, AlertStatus> STATUSES =
            new MapStateDescriptor<>("alert-statuses", Types.STRING, TypeInformation.of(AlertStatus.class));
    private static final ValueStateDescriptor<Long> EVALUATED =
            new ValueStateDescriptor<>("alert-evaluated-until", Types.LONG);

    private static final long PANE = SloCounts.PANE;

    private transient MapState<Long, long[]> openPanes;
    private transient ValueState<SloCounts> counts;
    private transient MapState<String, AlertStatus> statuses;
    private transient ValueState<Long> evaluatedUntil;
    private transient LatencyPanes latencyPanes;
    private transient AlertDefinitions definitions;
    private transient Counter transitions;
    private transient Counter tooLate;

    @Override
    public void open(OpenContext openContext) {
        openPanes = getRuntimeContext().getMapState(OPEN_PANES);
        counts = getRuntimeContext().getState(COUNTS);
        statuses = getRuntimeContext().getMapState(STATUSES);
        evaluatedUntil = getRuntimeContext().getState(EVALUATED);
        latencyPanes = new LatencyPanes(getRuntimeContext().getMapState(LatencyPanes.PANES));
        definitions = new AlertDefinitions();
        transitions = getRuntimeContext().getMetricGroup().counter("alertTransitions");
        tooLate = getRuntimeContext().getMetricGroup().counter("alertEventsTooLate");
    }

    @Override
    public void processElement(SloEvent event, ReadOnlyContext ctx, Collector<AlertTransition> out) throws Exception {
        long paneStart = Math.floorDiv(event.endEpochMillis(), PANE) * PANE;
        long[] pane = openPanes.get(paneStart);
        if (pane == null) {
            pane = new long[2];
        }
        pane[0] += event.good() ? 1 : 0;
        pane[1]++;
        openPanes.put(paneStart, pane);
        AlertDefinitions.Parsed definition =
                definitions.get(ctx.getBroadcastState(EvaluateSlos.DEFINITIONS).get(ctx.getCurrentKey()));
        if (definition != null && !definition.latencyRules().isEmpty()) {
            Long done = evaluatedUntil.value();
            latencyPanes.record(paneStart, event.durationMillis(), done == null ? Ring.NONE : done,
                    definition.latencyReach());
        }
        ctx.timerService().registerEventTimeTimer(paneStart + PANE - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertTransition> out) throws Exception {
        long end = timestamp + 1;
        AlertDefinitions.Parsed definition =
                definitions.get(ctx.getBroadcastState(EvaluateSlos.DEFINITIONS).get(ctx.getCurrentKey()));
        if (definition == null) {
            // Deleted (its alerts were resolved when the deletion arrived), or events that overtook their
            // definition: nothing to evaluate them against.
            clear();
            return;
        }
        SloCounts current = counts.value() == null ? new SloCounts() : counts.value();
        // sized for the window before folding, so the first panes of a new SLO count in its budget too
        current.reachBudgetOver(AlertEvaluator.windowLength(definition.slo().window(), end));
        fold(current, end);
        Long done = evaluatedUntil.value();
        if (done != null && end <= done) {
            counts.update(current);
            return;
        }
        Map<Severity, AlertStatus> bySeverity = new EnumMap<>(Severity.class);
        for (Map.Entry<String, AlertStatus> status : statuses.entries()) {
            bySeverity.put(Severity.of(status.getKey()), status.getValue());
        }
        for (AlertTransition transition : AlertEvaluator.evaluate(definition.slo(), definition.version(), current,
                latencies(definition, end), bySeverity, end)) {
            transitions.inc();
            out.collect(transition);
        }
        boolean active = false;
        for (Map.Entry<Severity, AlertStatus> status : bySeverity.entrySet()) {
            statuses.put(status.getKey().label(), status.getValue());
            active |= status.getValue().isActive();
        }
        boolean silent = end - current.lastEventPaneEnd >= BurnRateRule.LONGEST_WINDOW.toMillis();
        if (!active && silent && openPanes.isEmpty()) {
            clear();
            return;
        }
        counts.update(current);
        evaluatedUntil.update(end);
        // The end of time (a bounded input ended, or the spans went idle and the definitions' end-of-time
        // watermark took over) is not time passing: walking panes into it would resolve every alert at
        // invented times. Panes that hold events are still evaluated, by their own timers.
        if (ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(end + PANE - 1);
        }
    }

    /**
     * What the latency rules see at {@code end}; forgets the panes no later evaluation reaches, and all of them
     * once the definition has no latency rules (any more).
     */
    private Map<LatencyRule, LatencyObservation> latencies(AlertDefinitions.Parsed definition, long end)
            throws Exception {
        List<LatencyRule> rules = definition.latencyRules();
        if (rules.isEmpty()) {
            if (!latencyPanes.isEmpty()) {
                latencyPanes.clear();
            }
            return Map.of();
        }
        Map<LatencyRule, LatencyObservation> observed = latencyPanes.observe(rules, end);
        latencyPanes.evict(end, definition.latencyReach());
        return observed;
    }

    /** Moves the panes that ended by {@code end} from the open panes into the rings. */
    private void fold(SloCounts into, long end) throws Exception {
        List<Long> closed = new ArrayList<>();
        for (Map.Entry<Long, long[]> pane : openPanes.entries()) {
            if (pane.getKey() + PANE <= end) {
                closed.add(pane.getKey());
                if (!into.add(pane.getKey(), pane.getValue()[0], pane.getValue()[1])) {
                    tooLate.inc(pane.getValue()[1]);
                }
            }
        }
        for (Long pane : closed) {
            openPanes.remove(pane);
        }
    }

    @Override
    public void processBroadcastElement(SloChange change, Context ctx, Collector<AlertTransition> out)
            throws Exception {
        if (change.document() != null) {
            ctx.getBroadcastState(EvaluateSlos.DEFINITIONS).put(change.name(), change);
            return;
        }
        AlertDefinitions.Parsed last =
                definitions.get(ctx.getBroadcastState(EvaluateSlos.DEFINITIONS).get(change.name()));
        ctx.getBroadcastState(EvaluateSlos.DEFINITIONS).remove(change.name());
        definitions.forget(change.name());
        ctx.applyToKeyedState(STATUSES, (slo, state) -> {
            if (!slo.equals(change.name())) {
                return;
            }
            if (last != null) {
                for (Map.Entry<String, AlertStatus> status : state.entries()) {
                    AlertEvaluator.resolveDeleted(last.slo(), last.version(), Severity.of(status.getKey()),
                            status.getValue()).ifPresent(transition -> {
                                transitions.inc();
                                out.collect(transition);
                            });
                }
            }
            state.clear();
        });
        ctx.applyToKeyedState(COUNTS, (slo, state) -> clearIf(slo, change, state));
        ctx.applyToKeyedState(EVALUATED, (slo, state) -> clearIf(slo, change, state));
        ctx.applyToKeyedState(OPEN_PANES, (slo, state) -> {
            if (slo.equals(change.name())) {
                state.clear();
            }
        });
        ctx.applyToKeyedState(LatencyPanes.PANES, (slo, state) -> {
            if (slo.equals(change.name())) {
                state.clear();
            }
        });
    }

    private static void clearIf(String slo, SloChange change, ValueState<?> state) {
        if (slo.equals(change.name())) {
            state.clear();
        }
    }

    private void clear() {
        openPanes.clear();
        counts.clear();
        statuses.clear();
        evaluatedUntil.clear();
        latencyPanes.clear();
    }
}
