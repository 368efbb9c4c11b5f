package io.nines.query.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nines.query.latency.InvalidQueryException;
import io.nines.query.latency.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class ParamsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T11:30:00Z");
    private static final InstantSource CLOCK = InstantSource.fixed(NOW);

    @Test
    void readsRfc3339WithAnyOffsetAndEpochMilliseconds() {
        assertThat(Params.instant("from", "2026-03-01T12:30:00+01:00")).isEqualTo("2026-03-01T11:30:00Z");
        assertThat(Params.instant("from", "2026-03-01T11:30:00.250Z")).isEqualTo("2026-03-01T11:30:00.250Z");
        assertThat(Params.instant("to", "1772364600000")).isEqualTo("2026-03-01T11:30:00Z");
    }

    @Test
    void namesTheParameterOfATimeItCannotRead() {
        for (String bad : java.util.List.of("yesterday", "2026-03-01", "2026-03-01T11:30:00", "1' OR '1'='1", "-5")) {
            assertThatThrownBy(() -> Params.instant("from", bad)).as(bad)
                    .isInstanceOfSatisfying(InvalidQueryException.class,
                            e -> assertThat(e.parameter()).isEqualTo("from"))
                    .hasMessageStartingWith("from must be an RFC 3339 time");
        }
    }

    @Test
    void defaultsToTheLastHourOfTheInjectedClock() {
        assertThat(Params.range(null, null, CLOCK)).isEqualTo(new TimeRange(NOW.minusSeconds(3600), NOW));
        assertThat(Params.range(null, "2026-03-01T10:00:00Z", CLOCK)).isEqualTo(
                new TimeRange(Instant.parse("2026-03-01T09:00:00Z"), Instant.parse("2026-03-01T10:00:00Z")));
        assertThat(Params.range("2026-03-01T11:00:00Z", "", CLOCK).to()).isEqualTo(NOW);
    }

    @Test
    void readsDurationsInMillisecondsOrWithAUnit() {
        assertThat(Params.duration("step", "300000")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Params.duration("step", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Params.duration("step", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Params.duration("step", "2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Params.duration("step", "1d")).isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> Params.duration("step", "5 minutes"))
                .hasMessage("step must be milliseconds or a duration such as 5m or 1h, was '5 minutes'");
    }

    @Test
    void boundsEveryUnitAtTenYearsBeforeAnythingCanOverflow() {
        assertThat(Params.duration("step", "3660d")).isEqualTo(Duration.ofDays(3660));
        assertThat(Params.duration("step", "87840h")).isEqualTo(Duration.ofDays(3660));
        assertThat(Params.duration("step", "316224000000")).isEqualTo(Duration.ofDays(3660));
        assertThatThrownBy(() -> Params.duration("step", "3661d"))
                .hasMessage("step must be at most 3660d (3660 days), was '3661d'");
        assertThatThrownBy(() -> Params.duration("step", "87841h"))
                .hasMessage("step must be at most 87840h (3660 days), was '87841h'");
        assertThatThrownBy(() -> Params.duration("step", "999999999999m"))
                .hasMessage("step must be at most 5270400m (3660 days), was '999999999999m'");
    }

    @Test
    void cutsLongCallerTextInMessages() {
        assertThat(Params.echo("x".repeat(100))).isEqualTo("x".repeat(40) + "...");
    }
}
