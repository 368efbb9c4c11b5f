package io.nines.streaming.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.streaming.slo.BySloGroup;
import io.nines.streaming.slo.SloEvent;
import io.nines.streaming.slo.SloKey;
import io.nines.streaming.slo.SloMinute;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SLO minutes' real window operator (the latency trigger and lateness, reused) on Flink's test harness. */
class SloWindowTest {

    private static final long MINUTE = Instant.parse("2026-11-29T10:15:00Z").toEpochMilli();
    private static final long MINUTE_END = MINUTE + 60_000 - 1;
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final long EARLY_FIRING_MS = 5_000;

    private KeyedOneInputStreamOperatorTestHarness<SloKey, SloEvent, SloMinute> harness;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void openHarness() throws Exception {
        JobOptions options = new JobOptions(Duration.ofSeconds(5), Duration.ofSeconds(30), LATENESS,
                Duration.ofMillis(EARLY_FIRING_MS));
        var env = StreamExecutionEnvironment.getExecutionEnvironment();
        var minutes = SloJob.sloPerMinute(env.fromData(event("slo", "", true, MINUTE)), options);
        var window = (OneInputTransformation<SloEvent, SloMinute>) minutes.getTransformation();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(window.getOperatorFactory(), new BySloGroup(),
                TypeInformation.of(SloKey.class));
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void emitsGoodAndTotalPerSloGroupAndMinute() throws Exception {
        add(event("routes", "/a", true, MINUTE + 1_000));
        add(event("routes", "/a", false, MINUTE + 2_000));
        add(event("routes", "/a", true, MINUTE + 3_000));
        add(event("routes", "/b", false, MINUTE + 4_000));
        add(event("fast", "", true, MINUTE + 5_000));
        add(event("routes", "/a", true, MINUTE + 61_000));

        harness.processWatermark(new Watermark(MINUTE_END));

        assertThat(harness.extractOutputValues()).containsExactlyInAnyOrder(
                new SloMinute("routes", "/a", MINUTE, 2, 3),
                new SloMinute("routes", "/b", MINUTE, 0, 1),
                new SloMinute("fast", "", MINUTE, 1, 1));
    }

    @Test
    void emitsEarlyThenOnTimeThenAgainForEachLateEventWithGrowingVersions() throws Exception {
        add(event("fast", "", true, MINUTE + 1_000));
        harness.setProcessingTime(EARLY_FIRING_MS);
        add(event("fast", "", false, MINUTE + 2_000));
        harness.processWatermark(new Watermark(MINUTE_END + 30_000));
        add(event("fast", "", true, MINUTE + 3_000));

        assertThat(harness.extractOutputValues()).extracting(SloMinute::good, SloMinute::total, SloMinute::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, 1L, 1L),
                        org.assertj.core.groups.Tuple.tuple(1L, 2L, 2L),
                        org.assertj.core.groups.Tuple.tuple(2L, 3L, 3L));
    }

    @Test
    void clearsStateAndTimersOnceTheLatenessHasPassedAndRoutesLaterEventsAside() throws Exception {
        add(event("fast", "", true, MINUTE + 1_000));
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(new Watermark(MINUTE_END + LATENESS.toMillis()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        SloEvent tooLate = event("fast", "", false, MINUTE + 5_000);
        add(tooLate);
        assertThat(harness.getSideOutput(SloJob.LATE_SLO_EVENTS)).extracting(StreamRecord::getValue)
                .containsExactly(tooLate);
        assertThat(harness.extractOutputValues()).extracting(SloMinute::total).containsExactly(1L);
    }

    private void add(SloEvent event) throws Exception {
        harness.processElement(new StreamRecord<>(event, event.endEpochMillis()));
    }

    private static SloEvent event(String slo, String group, boolean good, long end) {
        return new SloEvent(slo, group, good, end, 1);
    }
}
