package io.nines.streaming.metrics;

import static io.nines.core.latency.LatencyHistogram.bucketOf;
import static io.nines.streaming.testing.OtlpMetrics.explicitSeconds;
import static io.nines.streaming.testing.OtlpMetrics.exponentialMillis;
import static io.nines.streaming.testing.OtlpMetrics.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.nines.streaming.otlp.OtlpRecord;
import io.nines.streaming.otlp.RejectedRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HistogramDecoderTest {

    private static final Instant START = Instant.parse("2026-11-29T10:00:00Z");
    private static final Instant TIME = Instant.parse("2026-11-29T10:15:30Z");

    private final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
    private MockEnvironment environment;
    private OneInputStreamOperatorTestHarness<OtlpRecord, HistogramPoint> harness;

    @BeforeEach
    void openHarness() throws Exception {
        environment = new MockEnvironmentBuilder().setMetricGroup(new InterceptingTaskMetricGroup() {
            @Override
            public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> info) {
                return metrics;
            }
        }).build();
        harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new HistogramDecoder()), environment);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
        environment.close();
    }

    @Test
    void decodesExplicitHistogramsInSecondsWithOperationStatusAndSeries() throws Exception {
        decode(record("cart", explicitSeconds(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, START, TIME,
                List.of(0.01, 0.1), List.of(2L, 3L, 1L), 0.5, 503)));

        HistogramPoint point = harness.extractOutputValues().get(0);
        assertThat(point).isEqualTo(new HistogramPoint(point.series(), "http.server.request.duration", "cart",
                "GET /cart", START.toEpochMilli() * 1_000_000, TIME.toEpochMilli() * 1_000_000, true, true, 6, 500.0,
                Map.of(bucketOf(5.0), 2L, bucketOf(Math.sqrt(10.0 * 100.0)), 3L, bucketOf(100.0), 1L)));
        assertThat(point.series()).contains("cart-1").contains("http.route=/cart")
                .contains("http.response.status_code=503");
        assertThat(counter("histogramPoints")).isEqualTo(1);
    }

    @Test
    void decodesExponentialHistogramsInMillisecondsAsDeltas() throws Exception {
        decode(record("pay", exponentialMillis(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, START, TIME,
                1, 10, List.of(4L, 0L, 2L), 1, 321.0)));

        // scale 1: base sqrt(2); bucket 10 is (32, 45.25] ms, bucket 12 is (64, 90.5] ms
        assertThat(harness.extractOutputValues()).singleElement().satisfies(point -> {
            assertThat(point.operation()).isEqualTo("POST /pay");
            assertThat(point.metric()).isEqualTo("http.server.duration");
            assertThat(point.cumulative()).isFalse();
            assertThat(point.error()).isFalse();
            assertThat(point.buckets()).isEqualTo(Map.of(Integer.MIN_VALUE, 1L,
                    bucketOf(Math.pow(2, 10.5 / 2)), 4L, bucketOf(Math.pow(2, 12.5 / 2)), 2L));
        });
    }

    @Test
    void skipsOtherMetricsAndRoutesGarbageAndImpossibleHistogramsAside() throws Exception {
        Metric gauge = Metric.newBuilder().setName("process.cpu.utilization")
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(0.5))).build();
        Metric broken = explicitSeconds(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, START, TIME,
                List.of(0.01, 0.1), List.of(2L, 3L), 0.5, 200);

        decode(record("cart", gauge, broken));
        harness.processElement(new StreamRecord<>(new OtlpRecord("otlp_metrics", 0, 8,
                "{\"resourceMetrics\": []}".getBytes(StandardCharsets.UTF_8))));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(HistogramDecoder.REJECTED)).extracting(StreamRecord::getValue)
                .extracting(RejectedRecord::offset, rejected -> rejected.reason().substring(0, 40))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(7L, "histogram 'http.server.request.duration'"),
                        org.assertj.core.groups.Tuple.tuple(8L, "not an OTLP ExportMetricsServiceRequest:"));
        assertThat(counter("invalidHistogramPoints")).isEqualTo(1);
        assertThat(counter("undecodableMetricRecords")).isEqualTo(1);
    }

    @Test
    void rejectsHostilePointsBeforeTheyReachAWindowAndKeepsDecodingTheRest() throws Exception {
        long quarter = 1L << 62;
        List<byte[]> hostile = List.of(
                // two buckets of 2^62 in different LatencyHistogram buckets: their total passes 2^63 - 1
                record("cart", delta(List.of(0.01, 0.1), List.of(quarter, quarter, 0L), 0.5)),
                // two source buckets that share a LatencyHistogram bucket: their merged count passes 2^63 - 1
                record("cart", delta(List.of(0.01, 0.010001), List.of(0L, Long.MAX_VALUE, 1L), 0.5)),
                record("cart", withCount(delta(List.of(0.01, 0.1), List.of(2L, 3L, 1L), 0.5), 7)),
                record("cart", delta(List.of(Double.NaN, 0.1), List.of(2L, 3L, 1L), 0.5)),
                record("cart", delta(List.of(0.01, Double.POSITIVE_INFINITY), List.of(2L, 3L, 1L), 0.5)),
                record("cart", delta(List.of(0.01, 0.1), List.of(2L, 3L, 1L), Double.NaN)),
                record("x".repeat(300), delta(List.of(0.01, 0.1), List.of(2L, 3L, 1L), 0.5)),
                record("cart\nINFO forged log line\u0000", delta(List.of(0.01, 0.1), List.of(2L, 3L, 1L), 0.5)));
        for (int i = 0; i < hostile.size(); i++) {
            harness.processElement(new StreamRecord<>(new OtlpRecord("otlp_metrics", 0, 100 + i, hostile.get(i))));
        }
        decode(record("cart", delta(List.of(0.01, 0.1), List.of(2L, 3L, 1L), 0.5)));

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(point -> assertThat(point.count()).isEqualTo(6));
        String prefix = "histogram 'http.server.request.duration' of service ";
        assertThat(harness.getSideOutput(HistogramDecoder.REJECTED)).extracting(StreamRecord::getValue)
                .extracting(RejectedRecord::offset, RejectedRecord::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(100L, prefix + "'cart': bucket counts add up to more than"
                                + " a 64-bit count (4611686018427387904 + 4611686018427387904)"),
                        org.assertj.core.groups.Tuple.tuple(101L, prefix + "'cart': bucket counts add up to more than"
                                + " a 64-bit count (9223372036854775807 + 1)"),
                        org.assertj.core.groups.Tuple.tuple(102L, prefix + "'cart': count 7 disagrees with its buckets,"
                                + " which hold 6"),
                        org.assertj.core.groups.Tuple.tuple(103L, prefix + "'cart': explicit bounds must be finite"
                                + " numbers, was [NaN, 0.1]"),
                        org.assertj.core.groups.Tuple.tuple(104L, prefix + "'cart': explicit bounds must be finite"
                                + " numbers, was [0.01, Infinity]"),
                        org.assertj.core.groups.Tuple.tuple(105L, prefix + "'cart': sum must be a finite, non-negative"
                                + " number, was NaN"),
                        org.assertj.core.groups.Tuple.tuple(106L, prefix + "'" + "x".repeat(64) + "'... (300"
                                + " characters): service.name must be at most 256 characters, was 300: '"
                                + "x".repeat(64) + "'... (300 characters)"),
                        org.assertj.core.groups.Tuple.tuple(107L, prefix + "'cart\\u000aINFO forged log line"
                                + "\\u0000': service.name must not contain control characters, was"
                                + " 'cart\\u000aINFO forged log line\\u0000'"));
        assertThat(counter("invalidHistogramPoints")).isEqualTo(8);
        assertThat(counter("histogramPoints")).isEqualTo(1);
    }

    private static Metric delta(List<Double> bounds, List<Long> counts, double sumSeconds) {
        return explicitSeconds(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, START, TIME, bounds, counts,
                sumSeconds, 200);
    }

    private static Metric withCount(Metric metric, long count) {
        Metric.Builder builder = metric.toBuilder();
        builder.getHistogramBuilder().getDataPointsBuilder(0).setCount(count);
        return builder.build();
    }

    private void decode(byte[] value) throws Exception {
        harness.processElement(new StreamRecord<>(new OtlpRecord("otlp_metrics", 0, 7, value)));
    }

    private long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }
}
