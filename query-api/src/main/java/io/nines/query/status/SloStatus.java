package io.nines.query.status;

import io.nines.core.slo.CalendarPeriod;
import io.nines.core.slo.ErrorBudget;
import io.nines.core.slo.SloDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Where an SLO stands at {@code asOf}: its budget over the window, burn rates over the standard lookbacks,
 * when the budget runs out at the last hour's pace, and per-group figures for a grouped SLO.
 *
 * @param provisional the window holds minutes the stream has not closed yet, so figures may still change
 * @param maintenanceExcludedMinutes minutes of the window that maintenance windows took out of the budget
 */
public record SloStatus(SloDefinition definition, Instant asOf, Optional<CalendarPeriod> period, long good,
        long total, ErrorBudget budget, Map<String, Double> burnRates, Optional<Instant> exhaustion,
        boolean provisional, Optional<List<GroupStatus>> groups, long maintenanceExcludedMinutes) {

    public SloStatus {
        Objects.requireNonNull(definition, "definition");
        burnRates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(burnRates));
        groups = groups.map(List::copyOf);
    }

    public OptionalDouble sli() {
        return ErrorBudget.sli(good, total);
    }

    /** One value of the SLO's groupBy attribute, with a budget of its own. */
    public record GroupStatus(String group, long good, long total, ErrorBudget budget, Map<String, Double> burnRates) {

        public GroupStatus {
            burnRates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(burnRates));
        }

        public OptionalDouble sli() {
            return ErrorBudget.sli(good, total);
        }
    }
}
