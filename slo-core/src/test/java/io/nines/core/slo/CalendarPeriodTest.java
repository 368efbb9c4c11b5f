package io.nines.core.slo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CalendarPeriodTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final TimeWindow.Calendar MONTH = new TimeWindow.Calendar(TimeWindow.CalendarUnit.MONTH, 1,
      LocalDateTime.parse("2026-01-01T00:00:00"), BERLIN, "1M");

  @Test
  void aMonthStartsAtLocalMidnightOfTheFirst() {
    CalendarPeriod march = CalendarPeriod.containing(MONTH, Instant.parse("2026-03-15T12:00:00Z"));
    assertThat(march.start()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
    // Berlin moves to summer time on 29 March, so April starts at 22:00 UTC
    assertThat(march.end()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
    assertThat(march.length()).isEqualTo(Duration.ofHours(31 * 24 - 1));
  }

  @Test
  void theFirstLocalHourOfAMonthBelongsToIt() {
    assertThat(CalendarPeriod.containing(MONTH, Instant.parse("2026-02-28T23:00:00Z")).start())
        .isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
    assertThat(CalendarPeriod.containing(MONTH, Instant.parse("2026-02-28T22:59:59.999Z")).start())
        .isEqualTo(Instant.parse("2026-01-31T23:00:00Z"));
  }

  @Test
  void periodsBeforeTheStartTimeFollowTheSameGrid() {
    CalendarPeriod period = CalendarPeriod.containing(MONTH, Instant.parse("2025-12-10T00:00:00Z"));
    assertThat(period.start()).isEqualTo(Instant.parse("2025-11-30T23:00:00Z"));
    assertThat(period.end()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
  }

  @Test
  void quartersAndMultiWeekPeriodsCountFromTheStart() {
    TimeWindow.Calendar quarter = new TimeWindow.Calendar(TimeWindow.CalendarUnit.QUARTER, 1,
        LocalDateTime.parse("2026-01-01T00:00:00"), ZoneId.of("UTC"), "1Q");
    CalendarPeriod q2 = CalendarPeriod.containing(quarter, Instant.parse("2026-05-20T00:00:00Z"));
    assertThat(q2).isEqualTo(new CalendarPeriod(Instant.parse("2026-04-01T00:00:00Z"), Instant.parse("2026-07-01T00:00:00Z")));

    TimeWindow.Calendar twoWeeks = new TimeWindow.Calendar(TimeWindow.CalendarUnit.WEEK, 2,
        LocalDateTime.parse("2026-01-05T00:00:00"), ZoneId.of("UTC"), "2w");
    CalendarPeriod sprint = CalendarPeriod.containing(twoWeeks, Instant.parse("2026-01-25T00:00:00Z"));
    assertThat(sprint).isEqualTo(new CalendarPeriod(Instant.parse("2026-01-19T00:00:00Z"), Instant.parse("2026-02-02T00:00:00Z")));
  }

  @Test
  void thePreviousPeriodEndsWhereThisOneStarts() {
    CalendarPeriod march = CalendarPeriod.containing(MONTH, Instant.parse("2026-03-15T12:00:00Z"));
    CalendarPeriod february = march.previous(MONTH);
    assertThat(february).isEqualTo(new CalendarPeriod(Instant.parse("2026-01-31T23:00:00Z"), march.start()));
  }
}
