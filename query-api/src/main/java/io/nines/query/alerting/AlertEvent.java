package io.nines.query.alerting;

import io.nines.core.alerting.LatencyObservation;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored alert transition, with the burn rates and budget consumed when it happened and, for a latency rule,
 * the quantile it observed.
 */
public record AlertEvent(String alertId, String slo, String team, String service, String severity, String state,
        long sequence, String incidentId, Instant at, String rule, Map<String, Double> burnRates,
        double budgetConsumed, Optional<LatencyObservation> latency) {

    public AlertEvent {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(at, "at");
        burnRates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(burnRates));
        Objects.requireNonNull(latency, "latency");
    }
}
