package io.nines.streaming.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the keyed cumulative-to-delta function with Flink's test harness, state and timers included. */
class CumulativeToDeltaTest {

    private static final Instant START = Instant.parse("2026-11-29T10:00:00Z");

    private final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
    private MockEnvironment environment;
    private KeyedOneInputStreamOperatorTestHarness<String, HistogramPoint, HistogramPoint> harness;

    @BeforeEach
    void openHarness() throws Exception {
        environment = new MockEnvironmentBuilder().setMetricGroup(new InterceptingTaskMetricGroup() {
            @Override
            public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> info) {
                return metrics;
            }
        }).build();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new CumulativeToDelta()),
                new BySeries(), Types.STRING, environment);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
        environment.close();
    }

    @Test
    void emitsAFreshSeriesWholeThenOnlyWhatEachPointAdds() throws Exception {
        add(cumulative(START, 10, 2, Map.of(100, 2L)));
        add(cumulative(START, 70, 6, Map.of(100, 5L, 120, 1L)));
        add(cumulative(START, 130, 6, Map.of(100, 5L, 120, 1L)));

        assertThat(harness.extractOutputValues()).containsExactly(
                delta(0, 10, 2, Map.of(100, 2L)),
                delta(10, 70, 4, Map.of(100, 3L, 120, 1L)));
    }

    @Test
    void takesTheFirstPointOfALongRunningSeriesAsTheBaselineOnly() throws Exception {
        add(cumulative(START, 3_600, 1_000, Map.of(100, 1_000L)));
        add(cumulative(START, 3_660, 1_010, Map.of(100, 1_004L, 130, 6L)));

        assertThat(harness.extractOutputValues()).containsExactly(delta(3_600, 3_660, 10, Map.of(100, 4L, 130, 6L)));
        assertThat(counter("histogramBaselines")).isEqualTo(1);
    }

    @Test
    void emitsEverythingSinceANewStartTimeAndIgnoresResends() throws Exception {
        add(cumulative(START, 10, 5, Map.of(100, 5L)));
        add(cumulative(START, 10, 5, Map.of(100, 5L)));
        Instant restarted = START.plusSeconds(40);
        add(cumulative(restarted, 70, 2, Map.of(110, 2L)));

        assertThat(harness.extractOutputValues()).containsExactly(
                delta(0, 10, 5, Map.of(100, 5L)),
                new HistogramPoint("checkout|GET /", "http.server.request.duration", "checkout", "GET /",
                        nanos(restarted), nanos(START.plusSeconds(70)), false, false, 2, 2.0, Map.of(110, 2L)));
    }

    @Test
    void takesCountsThatGoDownWithoutANewStartAsAnUnmarkedResetCountingNothing() throws Exception {
        add(cumulative(START, 10, 5, Map.of(100, 5L)));
        add(cumulative(START, 70, 3, Map.of(100, 3L)));
        add(cumulative(START, 130, 4, Map.of(100, 4L)));

        assertThat(harness.extractOutputValues()).containsExactly(
                delta(0, 10, 5, Map.of(100, 5L)),
                delta(70, 130, 1, Map.of(100, 1L)));
        assertThat(counter("histogramResets")).isEqualTo(1);
    }

    @Test
    void passesDeltaPointsAsTheyAre() throws Exception {
        HistogramPoint delta = delta(0, 60, 3, Map.of(100, 3L));

        add(delta);

        assertThat(harness.extractOutputValues()).containsExactly(delta);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void forgetsASeriesSilentForAnHourOfEventTime() throws Exception {
        add(cumulative(START, 10, 5, Map.of(100, 5L)));
        add(cumulative(START, 70, 6, Map.of(100, 6L)));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        long lastTime = START.plusSeconds(70).toEpochMilli();
        harness.processWatermark(new Watermark(lastTime + CumulativeToDelta.FORGET_AFTER.toMillis() - 1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        harness.processWatermark(new Watermark(lastTime + CumulativeToDelta.FORGET_AFTER.toMillis()));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private void add(HistogramPoint point) throws Exception {
        harness.processElement(new StreamRecord<>(point, point.timeEpochMillis()));
    }

    private static HistogramPoint cumulative(Instant start, long secondsAfterStart, long count,
                                             Map<Integer, Long> buckets) {
        return new HistogramPoint("checkout|GET /", "http.server.request.duration", "checkout", "GET /",
                nanos(start), nanos(START.plusSeconds(secondsAfterStart)), true, false, count, count, buckets);
    }

    private static HistogramPoint delta(long fromSeconds, long toSeconds, long count, Map<Integer, Long> buckets) {
        return new HistogramPoint("checkout|GET /", "http.server.request.duration", "checkout", "GET /",
                nanos(START.plusSeconds(fromSeconds)), nanos(START.plusSeconds(toSeconds)), false, false, count,
                count, buckets);
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }
}
