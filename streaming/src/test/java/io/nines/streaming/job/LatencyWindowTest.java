package io.nines.streaming.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.core.latency.LatencyHistogram;
import io.nines.streaming.latency.ByOperation;
import io.nines.streaming.latency.LatencyMinute;
import io.nines.streaming.latency.OperationKey;
import io.nines.streaming.otlp.SpanEvent;
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

/** Drives the job's real window operator (assigner, trigger, lateness, aggregate) with Flink's test harness. */
class LatencyWindowTest {

    private static final long MINUTE = Instant.parse("2026-11-29T10:15:00Z").toEpochMilli();
    private static final long MINUTE_END = MINUTE + 60_000 - 1;
    private static final Duration LATENESS = Duration.ofMinutes(2);
    private static final long EARLY_FIRING_MS = 5_000;

    private KeyedOneInputStreamOperatorTestHarness<OperationKey, SpanEvent, LatencyMinute> harness;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void openHarness() throws Exception {
        JobOptions options = new JobOptions(Duration.ofSeconds(5), Duration.ofSeconds(30), LATENESS,
                Duration.ofMillis(EARLY_FIRING_MS));
        var env = StreamExecutionEnvironment.getExecutionEnvironment();
        var minutes = LatencyJob.latencyPerMinute(env.fromData(span("GET /", MINUTE, 1, false)), options);
        var window = (OneInputTransformation<SpanEvent, LatencyMinute>) minutes.getTransformation();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(window.getOperatorFactory(), new ByOperation(),
                TypeInformation.of(OperationKey.class));
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void emitsCountsErrorsAndBucketsPerOperationAndMinute() throws Exception {
        add(span("GET /cart", MINUTE + 1_000, 12.0, false));
        add(span("GET /cart", MINUTE + 2_000, 250.0, true));
        add(span("GET /cart", MINUTE + 3_000, 0.0, false));
        add(span("POST /pay", MINUTE + 4_000, 80.0, true));
        add(span("GET /cart", MINUTE + 61_000, 7.0, false));

        harness.processWatermark(new Watermark(MINUTE_END));

        LatencyHistogram cart = new LatencyHistogram();
        cart.record(12.0);
        cart.record(250.0);
        cart.record(0.0);
        assertThat(harness.extractOutputValues()).containsExactlyInAnyOrder(
                new LatencyMinute("cart", "GET /cart", MINUTE, 3, 1, 262.0, cart.buckets()),
                new LatencyMinute("cart", "POST /pay", MINUTE, 1, 1, 80.0,
                        java.util.Map.of(LatencyHistogram.bucketOf(80.0), 1L)));
    }

    @Test
    void emitsAnOpenMinuteEveryIntervalOnlyWhileItHasUnseenSpans() throws Exception {
        add(span("GET /cart", MINUTE + 1_000, 10.0, false));
        add(span("GET /cart", MINUTE + 2_000, 20.0, false));
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(EARLY_FIRING_MS);
        assertThat(harness.extractOutputValues()).extracting(LatencyMinute::count).containsExactly(2L);

        harness.setProcessingTime(3 * EARLY_FIRING_MS);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numProcessingTimeTimers()).isZero();

        add(span("GET /cart", MINUTE + 3_000, 30.0, false));
        harness.setProcessingTime(4 * EARLY_FIRING_MS);
        assertThat(harness.extractOutputValues()).extracting(LatencyMinute::count).containsExactly(2L, 3L);
    }

    @Test
    void emitsAtTheEndOfTheMinuteAndAgainForEachLateSpanWithinTheLateness() throws Exception {
        add(span("GET /cart", MINUTE + 1_000, 10.0, false));
        harness.processWatermark(new Watermark(MINUTE_END));
        assertThat(harness.extractOutputValues()).extracting(LatencyMinute::count).containsExactly(1L);
        assertThat(harness.numProcessingTimeTimers()).as("no early firing left after the on-time one").isZero();

        harness.processWatermark(new Watermark(MINUTE_END + 30_000));
        add(span("GET /cart", MINUTE + 59_000, 40.0, true));
        add(span("GET /cart", MINUTE + 2_000, 50.0, false));

        assertThat(harness.extractOutputValues()).extracting(LatencyMinute::count, LatencyMinute::errors)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1L, 0L),
                        org.assertj.core.groups.Tuple.tuple(2L, 1L),
                        org.assertj.core.groups.Tuple.tuple(3L, 1L));
        assertThat(harness.getSideOutput(LatencyJob.LATE_SPANS)).isNull();
    }

    @Test
    void clearsStateAndTimersOnceTheLatenessHasPassedAndRoutesLaterSpansAside() throws Exception {
        add(span("GET /cart", MINUTE + 1_000, 10.0, false));
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.processWatermark(new Watermark(MINUTE_END + LATENESS.toMillis()));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        SpanEvent tooLate = span("GET /cart", MINUTE + 5_000, 60.0, false);
        add(tooLate);
        assertThat(harness.getSideOutput(LatencyJob.LATE_SPANS)).extracting(StreamRecord::getValue)
                .containsExactly(tooLate);
        assertThat(harness.extractOutputValues()).extracting(LatencyMinute::count).containsExactly(1L);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void clearsAPendingEarlyFiringWhenTheLatenessPassesBeforeItFires() throws Exception {
        harness.processWatermark(new Watermark(MINUTE_END - 1_000));
        add(span("GET /cart", MINUTE + 59_500, 10.0, false));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);

        harness.processWatermark(new Watermark(MINUTE_END + LATENESS.toMillis()));
        harness.setProcessingTime(10 * EARLY_FIRING_MS);

        assertThat(harness.extractOutputValues()).extracting(LatencyMinute::count).containsExactly(1L);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    private void add(SpanEvent span) throws Exception {
        harness.processElement(new StreamRecord<>(span, span.endEpochMillis()));
    }

    private static SpanEvent span(String operation, long end, double millis, boolean error) {
        return new SpanEvent("cart", operation, end, millis, error);
    }
}
