package io.nines.query.delivery;

import io.micrometer.core.instrument.MeterRegistry;
import io.nines.core.alerting.AlertTransition;
import io.nines.query.storage.Sql;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The {@code notifications} table: every attempt and every decision not to deliver. A transition is settled for a
 * target once a row with a final outcome exists, which is what makes a replay skip it.
 */
final class AttemptLog {

    /** What became of an attempt or a transition for a target. */
    enum Outcome {
        DELIVERED, FAILED, RETRY, SILENCED, SKIPPED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One row. {@code statusCode} 0 when no HTTP answer came. */
    record Entry(AlertTransition transition, String target, String targetKind, int attempt, Instant at,
            Outcome outcome, int statusCode, String error, long latencyMillis) {}

    private final Sql sql;
    private final String table;
    private final MeterRegistry registry;

    AttemptLog(Sql sql, MeterRegistry registry) {
        this.sql = sql;
        this.table = sql.table("notifications");
        this.registry = registry;
    }

    void record(Entry entry) {
        AlertTransition t = entry.transition();
        sql.update("INSERT INTO " + table + " (alert_id, sequence, target, attempt, at, outcome, status_code, error,"
                + " latency_ms, incident_id, state, slo, team, severity, target_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?)", List.of(t.alertId(), t.sequence(), entry.target(), entry.attempt(),
                LocalDateTime.ofInstant(entry.at(), ZoneOffset.UTC), entry.outcome().label(), entry.statusCode(),
                entry.error(), Math.min(entry.latencyMillis(), Integer.MAX_VALUE), t.incidentId(), t.state().label(),
                t.slo(), t.team(), t.severity().label(), entry.targetKind()));
        registry.counter("nines.delivery.outcomes", "outcome", entry.outcome().label(), "kind",
                entry.targetKind().isEmpty() ? "none" : entry.targetKind()).increment();
    }

    /** Whether this transition already has a final outcome for {@code target}: then it is never sent again. */
    boolean settled(AlertTransition transition, String target) {
        return !sql.query("SELECT 1 FROM " + table + " WHERE alert_id = ? AND sequence = ? AND target = ?"
                + " AND outcome != 'retry' LIMIT 1", List.of(transition.alertId(), transition.sequence(), target),
                rows -> rows.getInt(1)).isEmpty();
    }
}
