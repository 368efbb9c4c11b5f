package io.nines.query.alerting;

import java.time.Instant;

/**
 * One row of the notification log: an attempt to deliver a transition to a target, or the decision not to
 * ({@code silenced}, {@code skipped}; attempt 0). {@code statusCode} is 0 when no HTTP answer came.
 */
public record NotificationEntry(String alertId, long sequence, String incidentId, String state, String slo,
        String team, String severity, String target, String targetKind, int attempt, Instant at, String outcome,
        int statusCode, String error, long latencyMillis) {}
