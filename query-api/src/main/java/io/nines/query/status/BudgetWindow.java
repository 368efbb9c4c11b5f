package io.nines.query.status;

import io.nines.core.slo.CalendarPeriod;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The window an SLO's budget is measured over when evaluated at {@code end}: the last window length for a
 * rolling window, the calendar period so far for a calendar window. The period is the one holding the instant
 * just before {@code end}, so evaluating at a period's end sees the whole period, not an empty new one.
 *
 * @param length what the budget is sized for: the rolling length or the whole period
 */
record BudgetWindow(Instant start, Instant end, Duration length, Optional<CalendarPeriod> period) {

    static BudgetWindow endingAt(SloDefinition slo, Instant end) {
        if (slo.window() instanceof TimeWindow.Calendar calendar) {
            CalendarPeriod period = CalendarPeriod.containing(calendar, end.minusMillis(1));
            return new BudgetWindow(period.start(), end, period.length(), Optional.of(period));
        }
        Duration length = ((TimeWindow.Rolling) slo.window()).length();
        return new BudgetWindow(end.minus(length), end, length, Optional.empty());
    }

    /** Every minute that starts within the window, the minute of {@code start} included. */
    MinuteRepository.Minutes minutes() {
        return new MinuteRepository.Minutes(floor(start), ceil(end));
    }

    static Instant floor(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MINUTES);
    }

    static Instant ceil(Instant instant) {
        Instant floor = floor(instant);
        return floor.equals(instant) ? instant : floor.plus(1, ChronoUnit.MINUTES);
    }
}
