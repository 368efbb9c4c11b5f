package io.nines.streaming.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.streaming.metrics.ByMetricOperation;
import io.nines.streaming.metrics.HistogramPoint;
import io.nines.streaming.metrics.MetricKey;
import io.nines.streaming.metrics.MetricLatencyMinute;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the metrics part's real window operator with Flink's test harness. */
class MetricWindowTest {

    private static final long MINUTE = Instant.parse("2026-11-29T10:15:00Z").toEpochMilli();
    private static final long MINUTE_END = MINUTE + 60_000 - 1;
    private static final Duration LATENESS = Duration.ofMinutes(2);

    private KeyedOneInputStreamOperatorTestHarness<MetricKey, HistogramPoint, MetricLatencyMinute> harness;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void openHarness() throws Exception {
        JobOptions options = new JobOptions(Duration.ofSeconds(5), Duration.ofSeconds(30), LATENESS,
                Duration.ofSeconds(5));
        var env = StreamExecutionEnvironment.getExecutionEnvironment();
        var minutes = MetricsJob.metricLatencyPerMinute(env.fromData(point("GET /", MINUTE + 1, false, 1)), options);
        var window = (OneInputTransformation<HistogramPoint, MetricLatencyMinute>) minutes.getTransformation();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(window.getOperatorFactory(), new ByMetricOperation(),
                TypeInformation.of(MetricKey.class));
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void sumsDeltaPointsPerOperationMetricAndMinuteCountingFailedSeriesAsErrors() throws Exception {
        add(point("GET /cart", MINUTE + 10_000, false, 3));
        add(point("GET /cart", MINUTE + 40_000, true, 2));
        add(point("GET /cart", MINUTE + 70_000, false, 5));

        harness.processWatermark(new Watermark(MINUTE_END));

        assertThat(harness.extractOutputValues()).containsExactly(new MetricLatencyMinute("cart", "GET /cart",
                "http.server.request.duration", MINUTE, 5, 2, 50.0, Map.of(120, 5L)));
    }

    @Test
    void clearsStateAndTimersAfterTheLatenessAndRoutesLaterPointsAside() throws Exception {
        add(point("GET /cart", MINUTE + 10_000, false, 3));
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(new Watermark(MINUTE_END + LATENESS.toMillis()));
        HistogramPoint tooLate = point("GET /cart", MINUTE + 20_000, false, 1);
        add(tooLate);

        assertThat(harness.extractOutputValues()).extracting(MetricLatencyMinute::count).containsExactly(3L);
        assertThat(harness.getSideOutput(MetricsJob.LATE_POINTS)).extracting(StreamRecord::getValue)
                .containsExactly(tooLate);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    private void add(HistogramPoint point) throws Exception {
        harness.processElement(new StreamRecord<>(point, point.timeEpochMillis()));
    }

    private static HistogramPoint point(String operation, long timeMillis, boolean error, long count) {
        return new HistogramPoint("cart|" + operation + "|" + error, "http.server.request.duration", "cart", operation,
                (timeMillis - 60_000) * 1_000_000, timeMillis * 1_000_000, false, error, count, count * 10.0,
                Map.of(120, count));
    }
}
