package io.nines.query.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeriesQueryTest {

    private static final Instant T = Instant.parse("2026-03-01T11:00:00Z");

    private static LatencyQuery over(Duration length) {
        return new LatencyQuery("checkout", Optional.empty(), new TimeRange(T.minus(length), T), Quantiles.DEFAULT);
    }

    @Test
    void defaultStepKeepsAtMostThreeHundredPoints() {
        assertThat(SeriesQuery.defaultStep(over(Duration.ofHours(1)).range())).isEqualTo(Duration.ofMinutes(1));
        assertThat(SeriesQuery.defaultStep(over(Duration.ofHours(5)).range())).isEqualTo(Duration.ofMinutes(1));
        assertThat(SeriesQuery.defaultStep(over(Duration.ofMinutes(301)).range())).isEqualTo(Duration.ofMinutes(2));
        assertThat(SeriesQuery.defaultStep(over(Duration.ofDays(30)).range())).isEqualTo(Duration.ofMinutes(144));
    }

    @Test
    void rejectsStepsThatAreNotWholeMinutes() {
        assertThatThrownBy(() -> new SeriesQuery(over(Duration.ofHours(1)), Duration.ofSeconds(7)))
                .isInstanceOfSatisfying(InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("step"))
                .hasMessage("step must be a positive multiple of 60000 ms (whole minutes), was 7000 ms");
        assertThatThrownBy(() -> new SeriesQuery(over(Duration.ofHours(1)), Duration.ZERO))
                .isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void acceptsFifteenHundredPointsAndRejectsMore() {
        assertThat(new SeriesQuery(over(Duration.ofMinutes(1500)), Duration.ofMinutes(1)).step())
                .isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> new SeriesQuery(over(Duration.ofMinutes(1501)), Duration.ofMinutes(1)))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("step 60000 ms gives 1501 points over the range, more than the limit of 1500;"
                        + " use a larger step");
    }

    @Test
    void namesTheParameterOfABlankOrHugeServiceOrOperation() {
        TimeRange range = over(Duration.ofHours(1)).range();
        assertThatThrownBy(() -> new LatencyQuery(" ", Optional.empty(), range, Quantiles.DEFAULT))
                .hasMessage("service must not be blank");
        assertThatThrownBy(() -> new LatencyQuery("checkout", Optional.of("x".repeat(513)), range, Quantiles.DEFAULT))
                .hasMessage("operation must be at most 512 characters, was 513");
    }
}
