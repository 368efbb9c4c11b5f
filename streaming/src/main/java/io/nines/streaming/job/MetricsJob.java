package io.nines.streaming.job;

import io.nines.streaming.late.LatePoint;
import io.nines.streaming.late.RouteLateAfterRestore;
import io.nines.streaming.latency.EarlyFiringTrigger;
import io.nines.streaming.metrics.ByMetricOperation;
import io.nines.streaming.metrics.BySeries;
import io.nines.streaming.metrics.CumulativeToDelta;
import io.nines.streaming.metrics.HistogramDecoder;
import io.nines.streaming.metrics.HistogramPoint;
import io.nines.streaming.metrics.MetricAggregate;
import io.nines.streaming.metrics.MetricLatencyMinute;
import io.nines.streaming.metrics.PointTime;
import io.nines.streaming.metrics.StampMetricMinute;
import io.nines.streaming.otlp.OtlpRecord;
import io.nines.streaming.otlp.RejectedRecord;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * OTLP latency histograms in, per-minute latency per service, operation and metric out, into their own table
 * so that they never add to what spans count.
 *
 * <pre>
 * records -> decode histograms -> point time -> keyBy(series) -> cumulative to delta -> late after restore
 *              |                 -> keyBy(service, operation, metric) -> 1-minute windows -> metric_latency_minute
 *           rejected                          (both) late points -> late_metric_points <-------/
 * </pre>
 *
 * <p>Operator uids are part of the savepoint format: never change one once released.
 */
public final class MetricsJob {

    /** Points that arrived after their minute's allowed lateness. */
    public static final OutputTag<HistogramPoint> LATE_POINTS = new OutputTag<>("late-histogram-points") {};

    private MetricsJob() {
    }

    /** Where the metrics part's results go. */
    public record Sinks(Sink<MetricLatencyMinute> latency, Sink<LatePoint> latePoints,
                        Sink<RejectedRecord> rejected) {
        public Sinks {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(latePoints, "latePoints");
            Objects.requireNonNull(rejected, "rejected");
        }
    }

    /** Adds the metrics part to {@code records}' environment. */
    public static void attach(DataStream<OtlpRecord> records, JobOptions options, Sinks sinks) {
        SingleOutputStreamOperator<HistogramPoint> points = records
                .process(new HistogramDecoder()).name("decode OTLP histograms").uid("decode-otlp-histograms");
        points.getSideOutput(HistogramDecoder.REJECTED)
                .sinkTo(sinks.rejected()).name("rejected metric records").uid("rejected-metric-records-sink");

        SingleOutputStreamOperator<HistogramPoint> deltas = points
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<HistogramPoint>forBoundedOutOfOrderness(options.outOfOrderness())
                        .withTimestampAssigner(new PointTime())
                        .withIdleness(options.idleness()))
                .name("point time").uid("histogram-point-time")
                .keyBy(new BySeries())
                .process(new CumulativeToDelta()).name("cumulative to delta").uid("histogram-cumulative-to-delta")
                .transform("route points late after a restore", points.getType(),
                        new RouteLateAfterRestore<>(options.allowedLateness(), LATE_POINTS))
                .uid("route-late-points-after-restore");

        SingleOutputStreamOperator<MetricLatencyMinute> minutes = metricLatencyPerMinute(deltas, options);
        minutes.sinkTo(sinks.latency()).name("metric_latency_minute").uid("metric-latency-minute-sink");
        minutes.getSideOutput(LATE_POINTS)
                .union(deltas.getSideOutput(LATE_POINTS))
                .process(new CountLatePoints()).name("count late points").uid("count-late-histogram-points")
                .sinkTo(sinks.latePoints()).name("late histogram points").uid("late-histogram-points-sink");
    }

    /** The windowed aggregation on its own, as for spans: early firing, allowed lateness, late points aside. */
    static SingleOutputStreamOperator<MetricLatencyMinute> metricLatencyPerMinute(DataStream<HistogramPoint> deltas,
                                                                                  JobOptions options) {
        return deltas
                .keyBy(new ByMetricOperation())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(options.allowedLateness())
                .trigger(new EarlyFiringTrigger(options.earlyFiring()))
                .sideOutputLateData(LATE_POINTS)
                .aggregate(new MetricAggregate(), new StampMetricMinute())
                .name("metric latency per minute").uid("metric-latency-per-minute");
    }
}
