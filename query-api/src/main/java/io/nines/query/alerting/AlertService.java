package io.nines.query.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.core.alerting.LatencyObservation;
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

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
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

    /** Each alert's latest transition, most recent first. */
    public List<AlertEvent> alerts(AlertQuery query) {
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
        select.append(" ORDER BY at DESC, alert_id LIMIT ").append(MAX_LIMIT);
        return sql.query(select.toString(), parameters, AlertService::event);
    }

    /**
     * Every transition of one alert, oldest first.
     *
     * @throws UnknownAlertException when the alert never transitioned
     */
    public List<AlertEvent> timeline(String alertId) {
        List<AlertEvent> timeline = sql.query("SELECT " + EVENT_COLUMNS + " FROM " + events + " FINAL"
                + " WHERE alert_id = ? ORDER BY sequence LIMIT 10000", List.of(alertId), AlertService::event);
        if (timeline.isEmpty()) {
            throw new UnknownAlertException(alertId);
        }
        return timeline;
    }

    /** Notification attempts and decisions, newest first. */
    public List<NotificationEntry> notifications(Optional<String> alertId, Optional<String> target, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit", "must be within [1, " + MAX_LIMIT + "], was " + limit);
        }
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
        select.append(" ORDER BY at DESC, sequence DESC, attempt DESC LIMIT ?");
        parameters.add(limit);
        return sql.query(select.toString(), parameters, rows -> new NotificationEntry(rows.getString(1),
                rows.getLong(2), rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6),
                rows.getString(7), rows.getString(8), rows.getString(9), rows.getInt(10),
                Instant.ofEpochMilli(rows.getLong(11)), rows.getString(12), rows.getInt(13), rows.getString(14),
                rows.getLong(15)));
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
