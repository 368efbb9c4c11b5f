package io.nines.query.status;

import io.nines.core.slo.SloDefinition;
import java.time.Instant;
import java.util.List;

/**
 * Stretches of time whose minutes do not count for an SLO's budget (maintenance windows declared with
 * {@code excludeFromBudget}). Status skips the minutes that start within them and says how many it skipped.
 */
@FunctionalInterface
public interface BudgetExclusions {

    /** The excluded stretches of [from, to) for {@code slo}, possibly overlapping. */
    List<Range> excluded(SloDefinition slo, Instant from, Instant to);

    /**
     * The exclusions as they stand now, for answering many SLOs from one read of their source (a page of statuses);
     * by default this itself.
     */
    default BudgetExclusions snapshot() {
        return this;
    }

    /** Nothing excluded. */
    static BudgetExclusions none() {
        return (slo, from, to) -> List.of();
    }

    /** A half-open stretch [from, to). */
    record Range(Instant from, Instant to) {
        public Range {
            if (from == null || to == null || !from.isBefore(to)) {
                throw new IllegalArgumentException("range must start before it ends, was " + from + " to " + to);
            }
        }
    }
}
