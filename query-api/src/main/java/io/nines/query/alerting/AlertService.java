package io.nines.query.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.core.alerting.LatencyObservation;
import io.nines.query.paging.Page;
import io.nines.query.paging.PageRequest;
import io.nines.query.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of alerting: alerts from {@code alert_events} (written by the stream; FINAL collapses a replayed
 * transition into its first copy) and the attempts in {@code notifications}.
 */
public final class AlertService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Double>> RATES = new TypeReference<>() {};
    private static final String EVENT_COLUMNS = "alert_id, slo, team, service, severity, state, sequence,"
            + " incident_id, toUnixTimestamp64Milli(at), rule, toJSONString(burn_rates), budget_consumed,"
            + " toJSONString(latency)";

    private final Sql sql;
    private final String events;
    private final String notifications;

    public AlertService(Sql sql) {
        this.sql = sql;
        this.events = sql.table("alert_events");
        this.notifications = sql.table("notifications");
    }

    /** A page of each alert's latest transition, most recent first (ties by alert id). */
    public Page<AlertEvent> alerts(AlertQuery query, PageRequest page) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder select = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM (SELECT * FROM " + events
                + " FINAL ORDER BY alert_id, sequence DESC LIMIT 1 BY alert_id) WHERE 1 = 1");
        if (!query.state().equals("all")) {
            select.append(" AND state = ?");
            parameters.add(query.state());
        }
        query.slo().ifPresent(slo -> {
            select.append(" AND slo = ?");
            parameters.add(slo);
        });
        query.team().ifPresent(team -> {
            select.append(" AND team = ?");
            parameters.add(team);
        });
        page.after(2).ifPresent(key -> {
            select.append(" AND (toUnixTimestamp64Milli(at) < ? OR (toUnixTimestamp64Milli(at) = ? AND alert_id > ?))");
            parameters.addAll(List.of(key.number(0), key.number(0), key.text(1)));
        });
        select.append(" ORDER BY at DESC, alert_id LIMIT ?");
        parameters.add(page.fetch());
        return page.page(sql.query(select.toString(), parameters, AlertService::event),
                e -> List.of(Long.toString(e.at().toEpochMilli()), e.alertId()));
    }

    /**
     * A page of the transitions of one alert, oldest first.
     *
     * @throws UnknownAlertException when the alert never transitioned
     */
    public Page<AlertEvent> timeline(String alertId, PageRequest page) {
        Optional<Long> after = page.after(1).map(key -> key.number(0));
        Page<AlertEvent> timeline = page.page(sql.query("SELECT " + EVENT_COLUMNS + " FROM " + events + " FINAL"
                + " WHERE alert_id = ? AND sequence > ? ORDER BY sequence LIMIT ?",
                List.of(alertId, after.orElse(-1L), page.fetch()), AlertService::event),
                e -> List.of(Long.toString(e.sequence())));
        if (timeline.items().isEmpty() && after.isEmpty()) {
            throw new UnknownAlertException(alertId);
        }
        return timeline;
    }

    /**
     * A page of notification attempts and decisions, newest first; the later columns of the order only make it
     * total, so that a cursor names one row.
     */
    public Page<NotificationEntry> notifications(Optional<String> alertId, Optional<String> target,
            PageRequest page) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder select = new StringBuilder("SELECT alert_id, sequence, incident_id, state, slo, team, severity,"
                + " target, target_kind, attempt, toUnixTimestamp64Milli(at), outcome, status_code, error, latency_ms"
                + " FROM " + notifications + " WHERE 1 = 1");
        alertId.ifPresent(id -> {
            select.append(" AND alert_id = ?");
            parameters.add(id);
        });
        target.ifPresent(name -> {
            select.append(" AND target = ?");
            parameters.add(name);
        });
        page.after(5).ifPresent(key -> {
            select.append(" AND (toUnixTimestamp64Milli(at), sequence, attempt, alert_id, target) < (?, ?, ?, ?, ?)");
            parameters.addAll(List.of(key.number(0), key.number(1), key.number(2), key.text(3), key.text(4)));
        });
        select.append(" ORDER BY at DESC, sequence DESC, attempt DESC, alert_id DESC, target DESC LIMIT ?");
        parameters.add(page.fetch());
        return page.page(sql.query(select.toString(), parameters, rows -> new NotificationEntry(rows.getString(1),
                rows.getLong(2), rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
                rows.getString(7), rows.getString(8), rows.getString(9), rows.getInt(10),
                Instant.ofEpochMilli(rows.getLong(11)), rows.getString(12), rows.getInt(13), rows.getString(14),
                rows.getLong(15))), n -> List.of(Long.toString(n.at().toEpochMilli()), Long.toString(n.sequence()),
                Integer.toString(n.attempt()), n.alertId(), n.target()));
    }

    private static AlertEvent event(ResultSet rows) throws SQLException {
        Map<String, Double> rates;
        Map<String, Double> latency;
        try {
            rates = JSON.readValue(rows.getString(11), RATES);
            latency = JSON.readValue(rows.getString(13), RATES);
        } catch (JsonProcessingException e) {
            throw new SQLException("burn_rates or latency did not read as JSON", e);
        }
        return new AlertEvent(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                rows.getString(5), rows.getString(6), rows.getLong(7), rows.getString(8),
                Instant.ofEpochMilli(rows.getLong(9)), rows.getString(10), rates, rows.getDouble(12),
                latency(latency));
    }

    /** The {@code latency} map as the stream writes it; empty (other rules, older rows) is none. */
    private static Optional<LatencyObservation> latency(Map<String, Double> stored) throws SQLException {
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LatencyObservation(stored.get("quantile"),
                    Duration.ofMillis(Math.round(stored.get("lookbackMillis"))), stored.get("thresholdMillis"),
                    stored.get("observedMillis"), Math.round(stored.get("spans"))));
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new SQLException("latency is not an observation: " + stored, e);
        }
    }
}
