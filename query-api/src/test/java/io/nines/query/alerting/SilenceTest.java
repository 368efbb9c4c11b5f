package io.nines.query.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SilenceTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void aWeeklyWindowFollowsLocalTimeAcrossTheDaylightSavingChange() {
        // Europe/Berlin moves from UTC+1 to UTC+2 on Sunday 2026-03-29.
        Silence weekly = weekly(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), "03:00", "05:00");

        assertThat(weekly.activeWithin(Instant.parse("2026-03-27T00:00:00Z"), Instant.parse("2026-03-30T00:00:00Z")))
                .containsExactly(
                        new Silence.Range(Instant.parse("2026-03-28T02:00:00Z"), Instant.parse("2026-03-28T04:00:00Z")),
                        new Silence.Range(Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T03:00:00Z")));
        assertThat(weekly.activeAt(Instant.parse("2026-03-28T02:00:00Z"))).isTrue();
        assertThat(weekly.activeAt(Instant.parse("2026-03-28T04:00:00Z"))).isFalse();
        assertThat(weekly.activeAt(Instant.parse("2026-03-27T02:30:00Z"))).isFalse();
    }

    @Test
    void anExpiredSilenceStopsAtItsExpiry() {
        Silence oneOff = new Silence("s1", Optional.of("payments"), Silence.Kind.MAINTENANCE,
                new Silence.Match(Optional.of("checkout-availability"), Optional.empty(), Optional.empty()),
                Instant.parse("2026-03-15T10:00:00Z"), Optional.of(Instant.parse("2026-03-15T12:00:00Z")),
                Optional.empty(), true, "", CREATED, "token:t1", Optional.of(Instant.parse("2026-03-15T11:00:00Z")));

        assertThat(oneOff.activeWithin(Instant.parse("2026-03-15T00:00:00Z"), Instant.parse("2026-03-16T00:00:00Z")))
                .containsExactly(new Silence.Range(Instant.parse("2026-03-15T10:00:00Z"),
                        Instant.parse("2026-03-15T11:00:00Z")));
        assertThat(oneOff.matches("checkout-availability", "checkout", "payments")).isTrue();
        assertThat(oneOff.matches("checkout-availability", "checkout", "search")).isFalse();
        assertThat(oneOff.matches("checkout-latency", "checkout", "payments")).isFalse();
    }

    @Test
    void refusesWindowsThatEndBeforeTheyStart() {
        assertThatThrownBy(() -> weekly(EnumSet.of(DayOfWeek.MONDAY), "05:00", "03:00"))
                .hasMessageContaining("weekly from must be before to");
        assertThatThrownBy(() -> new Silence.Match(Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("at least one of slo, service, team");
    }

    private static Silence weekly(EnumSet<DayOfWeek> days, String from, String to) {
        return new Silence("w1", Optional.empty(), Silence.Kind.SILENCE,
                new Silence.Match(Optional.empty(), Optional.of("checkout"), Optional.empty()), CREATED,
                Optional.empty(), Optional.of(new Silence.Weekly(days, LocalTime.parse(from), LocalTime.parse(to),
                        ZoneId.of("Europe/Berlin"))), false, "", CREATED, "token:t1", Optional.empty());
    }
}
