package io.nines.streaming.clickhouse;

import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.LatencyObservation;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link AlertTransition}s as rows of {@code alert_events}, one per transition, keyed by (alert_id, sequence). */
final class AlertEventRows implements RowBinder<AlertTransition> {

    private record Key(String alertId, long sequence) {
    }

    @Override
    public String table() {
        return "alert_events";
    }

    @Override
    public List<String> columns() {
        return List.of("alert_id", "slo", "team", "service", "severity", "state", "sequence", "incident_id", "at",
                "rule", "burn_rates", "budget_consumed", "notification_targets", "latency");
    }

    @Override
    public Object key(AlertTransition row) {
        return new Key(row.alertId(), row.sequence());
    }

    @Override
    public long version(AlertTransition row) {
        // (alert_id, sequence) identifies a transition; a copy replayed after a failure may only differ in time
        return 0;
    }

    @Override
    public List<Object> values(AlertTransition row) {
        // sorted map and a list: their toString goes into the deduplication token and must be deterministic
        return List.of(row.alertId(), row.slo(), row.team(), row.service(), row.severity().label(),
                row.state().label(), row.sequence(), row.incidentId(), row.at(), row.rule(),
                new TreeMap<>(row.burnRates()), row.budgetConsumed(), row.notificationTargets(),
                row.latency().map(AlertEventRows::latency).orElseGet(TreeMap::new));
    }

    /** The observation as the {@code latency} map, the keys of the transition's JSON; empty for other rules. */
    static TreeMap<String, Double> latency(LatencyObservation seen) {
        return new TreeMap<>(Map.of("quantile", seen.quantile(), "lookbackMillis", (double) seen.lookback().toMillis(),
                "thresholdMillis", seen.thresholdMillis(), "observedMillis", seen.observedMillis(),
                "spans", (double) seen.spans()));
    }
}
