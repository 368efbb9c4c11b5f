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
 * @param groupCap for a grouped SLO, whether values beyond its cap counted in the overflow group
 */
public record SloStatus(SloDefinition definition, Instant asOf, Optional<CalendarPeriod> period, long good,
        long total, ErrorBudget budget, Map<String, Double> burnRates, Optional<Instant> exhaustion,
        boolean provisional, Optional<List<GroupStatus>> groups, long maintenanceExcludedMinutes,
        Optional<GroupCap> groupCap) {

    public SloStatus {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(groupCap, "groupCap");
        burnRates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(burnRates));
        groups = groups.map(List::copyOf);
    }

    public OptionalDouble sli() {
        return ErrorBudget.sli(good, total);
    }

    /**
     * The cardinality cap of a grouped SLO over the window: {@code eventsOverCap} events had a value of the
     * attribute beyond the first {@code maxGroups} and counted in {@link SloDefinition.GroupBy#OVERFLOW}.
     */
    public record GroupCap(String attribute, int maxGroups, long eventsOverCap) {

        public GroupCap {
            Objects.requireNonNull(attribute, "attribute");
            if (eventsOverCap < 0) {
                throw new IllegalArgumentException("eventsOverCap must not be negative, was " + eventsOverCap);
            }
        }

        public boolean capped() {
            return eventsOverCap > 0;
        }

        /** What a user should know and do when the cap was reached; empty when it was not. */
        public Optional<String> message() {
            if (!capped()) {
                return Optional.empty();
            }
            return Optional.of("more than " + maxGroups + " values of " + attribute + " were seen: " + eventsOverCap
                    + " events of the values beyond the cap counted in the group " + SloDefinition.GroupBy.OVERFLOW
                    + ", which has no budget of its own; raise spec.nines.maxGroups (at most 10000) or group by an"
                    + " attribute with fewer values");
        }
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
