package io.nines.core.slo;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Objects;

/** The period an objective is measured over: a rolling duration or calendar periods in a time zone. */
public sealed interface TimeWindow {

  /** Its length in OpenSLO notation, e.g. {@code 30d} or {@code 1M}. */
  String label();

  /** The last {@code length} up to now, e.g. 28 or 30 days. */
  record Rolling(Duration length, String label) implements TimeWindow {
    public Rolling {
      Objects.requireNonNull(length, "length");
      if (length.compareTo(Duration.ofMinutes(5)) < 0 || length.compareTo(Duration.ofDays(400)) > 0) {
        throw new IllegalArgumentException("rolling window must be between 5m and 400d, was " + label);
      }
    }
  }

  /** Consecutive calendar periods ({@code count} weeks, months, quarters or years) from {@code start}. */
  record Calendar(CalendarUnit unit, int count, LocalDateTime start, ZoneId zone, String label) implements TimeWindow {
    public Calendar {
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(zone, "zone");
      if (count < 1 || count > 12) {
        throw new IllegalArgumentException("calendar window must span 1 to 12 periods, was " + label);
      }
    }
  }

  /** Calendar periods OpenSLO names. */
  enum CalendarUnit { DAY, WEEK, MONTH, QUARTER, YEAR }
}
