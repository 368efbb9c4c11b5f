package io.nines.query.alerting;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** One stored alert transition, with the burn rates and budget consumed when it happened. */
public record AlertEvent(String alertId, String slo, String team, String service, String severity, String state,
        long sequence, String incidentId, Instant at, String rule, Map<String, Double> burnRates,
        double budgetConsumed) {

    public AlertEvent {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(at, "at");
        burnRates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(burnRates));
    }
}
