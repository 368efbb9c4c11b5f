package io.nines.query.status;

import io.nines.core.slo.ErrorBudget;
import io.nines.core.slo.SloDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/** Points of a burndown: each step's events and burn rate, and the budget left at the step's end. */
public record SloHistory(SloDefinition definition, Instant from, Instant to, Duration step, List<Point> points) {

    public SloHistory {
        points = List.copyOf(points);
    }

    /**
     * @param t the end of the step, where the budget is evaluated
     * @param good events of the step [t - step, t)
     * @param budgetRemaining over the window ending at t (rolling) or the period so far (calendar)
     * @param burnRate over the step
     */
    public record Point(Instant t, long good, long total, double budgetRemaining, double burnRate) {

        public OptionalDouble sli() {
            return ErrorBudget.sli(good, total);
        }
    }
}
