package io.nines.query.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.query.latency.RollupReach.Segment;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollupReachTest {

    private static final RollupReach REACH = new RollupReach(Optional.of(t("2026-10-11T05:00:00Z")),
            Optional.of(t("2026-10-11T00:00:00Z")));

    @Test
    void answersWholeDaysThenWholeHoursThenMinutesAtTheEdgesAndPastTheReach() {
        assertThat(REACH.cover(t("2026-10-01T07:13:00Z"), t("2026-10-12T16:47:00Z"), true, true)).containsExactly(
                new Segment(Resolution.MINUTE, t("2026-10-01T07:13:00Z"), t("2026-10-01T08:00:00Z")),
                new Segment(Resolution.HOUR, t("2026-10-01T08:00:00Z"), t("2026-10-02T00:00:00Z")),
                new Segment(Resolution.DAY, t("2026-10-02T00:00:00Z"), t("2026-10-11T00:00:00Z")),
                new Segment(Resolution.HOUR, t("2026-10-11T00:00:00Z"), t("2026-10-11T05:00:00Z")),
                new Segment(Resolution.MINUTE, t("2026-10-11T05:00:00Z"), t("2026-10-12T16:47:00Z")));
    }

    @Test
    void usesHoursAloneWhenNoWholeDayFitsOrDaysAreNotAllowed() {
        assertThat(REACH.cover(t("2026-10-05T10:30:00Z"), t("2026-10-06T14:10:00Z"), true, true)).containsExactly(
                new Segment(Resolution.MINUTE, t("2026-10-05T10:30:00Z"), t("2026-10-05T11:00:00Z")),
                new Segment(Resolution.HOUR, t("2026-10-05T11:00:00Z"), t("2026-10-06T14:00:00Z")),
                new Segment(Resolution.MINUTE, t("2026-10-06T14:00:00Z"), t("2026-10-06T14:10:00Z")));
        assertThat(REACH.cover(t("2026-10-03T00:00:00Z"), t("2026-10-05T00:00:00Z"), true, false)).containsExactly(
                new Segment(Resolution.HOUR, t("2026-10-03T00:00:00Z"), t("2026-10-05T00:00:00Z")));
    }

    @Test
    void readsMinutesOnlyWithoutRollupsOrWhenNoWholeRolledHourFits() {
        assertThat(RollupReach.NONE.cover(t("2026-10-01T00:00:00Z"), t("2026-10-12T00:00:00Z"), true, true))
                .containsExactly(new Segment(Resolution.MINUTE, t("2026-10-01T00:00:00Z"), t("2026-10-12T00:00:00Z")));
        assertThat(REACH.cover(t("2026-10-11T04:59:00Z"), t("2026-10-11T05:01:00Z"), true, true))
                .containsExactly(new Segment(Resolution.MINUTE, t("2026-10-11T04:59:00Z"), t("2026-10-11T05:01:00Z")));
        assertThat(REACH.cover(t("2026-10-05T10:01:00Z"), t("2026-10-05T10:59:00Z"), true, true))
                .containsExactly(new Segment(Resolution.MINUTE, t("2026-10-05T10:01:00Z"), t("2026-10-05T10:59:00Z")));
        assertThat(REACH.cover(t("2026-10-03T00:00:00Z"), t("2026-10-05T00:00:00Z"), false, false))
                .containsExactly(new Segment(Resolution.MINUTE, t("2026-10-03T00:00:00Z"), t("2026-10-05T00:00:00Z")));
    }

    @Test
    void rowsFitTheStepsOfASeriesOnlyWhenStartAndStepAreWholeRows() {
        assertThat(Resolution.HOUR.fitsSteps(t("2026-10-03T05:00:00Z"), java.time.Duration.ofHours(2))).isTrue();
        assertThat(Resolution.HOUR.fitsSteps(t("2026-10-03T05:01:00Z"), java.time.Duration.ofHours(2))).isFalse();
        assertThat(Resolution.HOUR.fitsSteps(t("2026-10-03T05:00:00Z"), java.time.Duration.ofMinutes(90))).isFalse();
        assertThat(Resolution.DAY.fitsSteps(t("2026-10-03T00:00:00Z"), java.time.Duration.ofDays(7))).isTrue();
        assertThat(Resolution.DAY.fitsSteps(t("2026-10-03T05:00:00Z"), java.time.Duration.ofDays(1))).isFalse();
    }

    private static Instant t(String instant) {
        return Instant.parse(instant);
    }
}
