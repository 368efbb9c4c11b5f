package io.nines.streaming.clickhouse;

import io.nines.core.alerting.AlertTransition;
import java.util.List;
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
                "rule", "burn_rates", "budget_consumed", "notification_targets");
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
                new TreeMap<>(row.burnRates()), row.budgetConsumed(), row.notificationTargets());
    }
}
