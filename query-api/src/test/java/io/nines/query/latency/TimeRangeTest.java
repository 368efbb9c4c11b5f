package io.nines.query.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    private static final Instant T = Instant.parse("2026-03-01T11:00:00Z");

    @Test
    void coversMinutesFromTheFlooredStartToTheLastMinuteThatStartsBeforeTheEnd() {
        TimeRange range = new TimeRange(T.plusSeconds(90), T.plusSeconds(180));
        assertThat(range.firstMinute()).isEqualTo(Instant.parse("2026-03-01T11:01:00Z"));
        assertThat(range.endMinute()).isEqualTo(Instant.parse("2026-03-01T11:03:00Z"));

        TimeRange partial = new TimeRange(T, T.plusMillis(180_001));
        assertThat(partial.endMinute()).isEqualTo(Instant.parse("2026-03-01T11:04:00Z"));
    }

    @Test
    void rejectsAStartThatIsNotBeforeTheEnd() {
        assertThatThrownBy(() -> new TimeRange(T, T))
                .isInstanceOfSatisfying(InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("from"))
                .hasMessage("from must be before to, was from=2026-03-01T11:00:00Z to=2026-03-01T11:00:00Z");
        assertThatThrownBy(() -> new TimeRange(T.plusSeconds(1), T)).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void acceptsFourHundredDaysAndRejectsMore() {
        assertThat(new TimeRange(T.minus(Duration.ofDays(400)), T).to()).isEqualTo(T);
        assertThatThrownBy(() -> new TimeRange(T.minus(Duration.ofDays(400)).minusMillis(1), T))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("longer than the limit of 400 days");
    }
}
