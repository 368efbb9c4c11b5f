package io.nines.streaming.alerting;

import io.nines.core.alerting.AlertTransition;
import io.nines.streaming.slo.EvaluateSlos;
import io.nines.streaming.slo.SloChange;
import io.nines.streaming.slo.SloEvent;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/**
 * Drives {@link EvaluateAlerts} on Flink's keyed broadcast harness with steady traffic: {@code perSecond} SLO
 * events every second, each bad when the traffic's rule says so, and the watermark at the end of every
 * 10-second pane, as the job's watermark would pass it.
 */
final class AlertTraffic implements AutoCloseable {

    static final String SLO = "checkout-availability";

    /** Which events fail: by the second they end in (epoch seconds) and their index within it. */
    interface Failures {
        boolean bad(long second, int index);
    }

    /** How long each event's span took, in milliseconds: by the second it ends in and its index within it. */
    interface Latencies {
        double millis(long second, int index);
    }

    /** Every span takes this long unless a test says otherwise. */
    static final double USUAL_MILLIS = 50;

    final KeyedBroadcastOperatorTestHarness<String, SloEvent, SloChange, AlertTransition> harness;

    private AlertTraffic(OperatorSubtaskState restoreFrom) throws Exception {
        harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new EvaluateAlerts(), List.of(EvaluateSlos.DEFINITIONS)),
                new BySlo(), Types.STRING, 1, 1, 0);
        harness.setup(new AlertTransitionSerializer());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        // definitions carry no event time (DefinitionsHoldNoTime in the job)
        harness.processBroadcastWatermark(Long.MAX_VALUE);
    }

    static AlertTraffic fresh() throws Exception {
        return new AlertTraffic(null);
    }

    static AlertTraffic restoredFrom(OperatorSubtaskState snapshot) throws Exception {
        return new AlertTraffic(snapshot);
    }

    void define(long version, String document) throws Exception {
        harness.processBroadcastElement(new SloChange(SLO, version, document), 0);
    }

    void delete() throws Exception {
        harness.processBroadcastElement(new SloChange(SLO, 0, null), 0);
    }

    /** Traffic over [fromSecond, toSecond) in epoch seconds; both on 10-second pane boundaries. */
    void run(long fromSecond, long toSecond, int perSecond, Failures failures) throws Exception {
        run(fromSecond, toSecond, perSecond, failures, (second, i) -> USUAL_MILLIS);
    }

    /** Traffic as {@link #run(long, long, int, Failures)}, each span taking what {@code latencies} says. */
    void run(long fromSecond, long toSecond, int perSecond, Failures failures, Latencies latencies)
            throws Exception {
        for (long second = fromSecond; second < toSecond; second++) {
            for (int i = 0; i < perSecond; i++) {
                long at = second * 1000 + i * (1000L / perSecond);
                harness.processElement(
                        new SloEvent(SLO, "", !failures.bad(second, i), at, latencies.millis(second, i)), at);
            }
            if ((second + 1) % 10 == 0) {
                harness.processWatermark((second + 1) * 1000 - 1);
            }
        }
    }

    /** One request ending at {@code second}, then the watermark to the end of its pane. */
    void request(long second, boolean bad) throws Exception {
        harness.processElement(new SloEvent(SLO, "", !bad, second * 1000, USUAL_MILLIS), second * 1000);
        quietUntil((second / 10 + 1) * 10);
    }

    /** The watermark alone moving on, as other services' spans move it, to the end of {@code second}. */
    void quietUntil(long second) throws Exception {
        harness.processWatermark(second * 1000 - 1);
    }

    List<AlertTransition> transitions() {
        return harness.extractOutputValues();
    }

    int keyedStateEntries() {
        return ((HeapKeyedStateBackend<?>) harness.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    /** How many 10-second panes of latency sketches the SLO keeps in state. */
    int latencyPanes() throws Exception {
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(SLO);
        MapState<Long, long[]> panes = backend.getPartitionedState(VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE, LatencyPanes.PANES);
        int count = 0;
        for (Long ignored : panes.keys()) {
            count++;
        }
        return count;
    }

    OperatorSubtaskState snapshot() throws Exception {
        return harness.snapshot(1, 1);
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }

    /** An availability SLO of service checkout over 30 rolling days, with {@code alertPolicies} YAML or "". */
    static String availability(double target, String alertPolicies) {
        return "apiVersion: openslo/v1\n"
                + "kind: SLO\n"
                + "metadata: {name: " + SLO + ", labels: {team: payments}}\n"
                + "spec:\n"
                + "  service: checkout\n"
                + "  indicator:\n"
                + "    spec:\n"
                + "      ratioMetric:\n"
                + "        good: {metricSource: {type: nines.spans, spec: {service: checkout, outcome: success}}}\n"
                + "        total: {metricSource: {type: nines.spans, spec: {service: checkout}}}\n"
                + "  timeWindow: [{duration: 30d, isRolling: true}]\n"
                + "  budgetingMethod: Occurrences\n"
                + "  objectives: [{target: " + target + "}]\n"
                + (alertPolicies.isEmpty() ? "" : "  alertPolicies: " + alertPolicies + "\n");
    }
}
