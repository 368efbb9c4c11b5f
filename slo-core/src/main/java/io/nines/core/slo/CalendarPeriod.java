package io.nines.core.slo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One period of a calendar window, [start, end): the budget resets at every start. Periods follow each other
 * from the window's {@code startTime} in its time zone, so a month starts at local midnight of the 1st
 * whatever the offset to UTC is that day.
 */
public record CalendarPeriod(Instant start, Instant end) {

  public CalendarPeriod {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("period start must be before its end, was " + start + " to " + end);
    }
  }

  public Duration length() {
    return Duration.between(start, end);
  }

  /** The period of {@code window} that contains {@code instant}, also before the window's startTime. */
  public static CalendarPeriod containing(TimeWindow.Calendar window, Instant instant) {
    ZonedDateTime at = instant.atZone(window.zone());
    LocalDateTime origin = window.start();
    long units = switch (window.unit()) {
      case DAY -> ChronoUnit.DAYS.between(origin, at.toLocalDateTime());
      case WEEK -> ChronoUnit.WEEKS.between(origin, at.toLocalDateTime());
      case MONTH -> ChronoUnit.MONTHS.between(origin, at.toLocalDateTime());
      case QUARTER -> ChronoUnit.MONTHS.between(origin, at.toLocalDateTime()) / 3;
      case YEAR -> ChronoUnit.YEARS.between(origin, at.toLocalDateTime());
    };
    // between() truncates towards zero; the period index must round down, then be corrected by one step
    // where local-time arithmetic (e.g. a month end, a DST gap) puts the instant just outside
    long index = Math.floorDiv(units, window.count());
    CalendarPeriod period = nth(window, index);
    while (instant.isBefore(period.start)) {
      period = nth(window, --index);
    }
    while (!instant.isBefore(period.end)) {
      period = nth(window, ++index);
    }
    return period;
  }

  /** The period right before this one. */
  public CalendarPeriod previous(TimeWindow.Calendar window) {
    return containing(window, start.minusMillis(1));
  }

  private static CalendarPeriod nth(TimeWindow.Calendar window, long index) {
    return new CalendarPeriod(startOf(window, index), startOf(window, index + 1));
  }

  private static Instant startOf(TimeWindow.Calendar window, long index) {
    long steps = index * window.count();
    LocalDateTime origin = window.start();
    LocalDateTime local = switch (window.unit()) {
      case DAY -> origin.plusDays(steps);
      case WEEK -> origin.plusWeeks(steps);
      case MONTH -> origin.plusMonths(steps);
      case QUARTER -> origin.plusMonths(3 * steps);
      case YEAR -> origin.plusYears(steps);
    };
    return local.atZone(window.zone()).toInstant();
  }
}
