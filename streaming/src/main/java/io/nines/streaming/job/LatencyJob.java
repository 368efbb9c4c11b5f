package io.nines.streaming.job;

import io.nines.streaming.late.LateSpan;
import io.nines.streaming.late.RouteFutureSpans;
import io.nines.streaming.late.RouteLateAfterRestore;
import io.nines.streaming.latency.ByOperation;
import io.nines.streaming.latency.EarlyFiringTrigger;
import io.nines.streaming.latency.LatencyAggregate;
import io.nines.streaming.latency.LatencyMinute;
import io.nines.streaming.latency.SpanEndTime;
import io.nines.streaming.latency.StampMinute;
import io.nines.streaming.latency.WithoutAttributes;
import io.nines.streaming.otlp.OtlpRecord;
import io.nines.streaming.otlp.RejectedRecord;
import io.nines.streaming.otlp.SpanDecoder;
import io.nines.streaming.otlp.SpanEvent;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The first slice of the job: OTLP records in, per-minute latency per service and operation out.
 *
 * <pre>
 * records -> decode -> route future spans -> event time -> drop attributes -> late after restore
 *              |               |                   \-> SloJob                            |      -> keyBy(service,
 *              |               |                                                         |   operation) -> 1-minute
 *           rejected      future spans --------> late_events <---- late spans <----------+------- windows -> latency
 * </pre>
 *
 * <p>Operator uids are part of the savepoint format: never change one once released.
 */
public final class LatencyJob {

    /** Spans that arrived after their minute's allowed lateness. */
    public static final OutputTag<SpanEvent> LATE_SPANS = new OutputTag<>("late-spans") {};

    private LatencyJob() {
    }

    /** Where the job's results go. */
    public record Sinks(Sink<LatencyMinute> latency, Sink<LateSpan> lateSpans, Sink<RejectedRecord> rejected) {
        public Sinks {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(lateSpans, "lateSpans");
            Objects.requireNonNull(rejected, "rejected");
        }
    }

    /** Adds the job to {@code records}' environment; returns the decoded spans in event time, for {@link SloJob}. */
    public static DataStream<SpanEvent> attach(DataStream<OtlpRecord> records, JobOptions options, Sinks sinks) {
        SingleOutputStreamOperator<SpanEvent> spans = records
                .process(new SpanDecoder()).name("decode OTLP spans").uid("decode-otlp-spans");
        spans.getSideOutput(SpanDecoder.REJECTED)
                .sinkTo(sinks.rejected()).name("rejected records").uid("rejected-records-sink");

        // Before event time is assigned: a span from the future must never reach the watermark.
        SingleOutputStreamOperator<SpanEvent> present = spans
                .process(new RouteFutureSpans(options.maxClockSkew()))
                .name("route future spans aside").uid("route-future-spans");

        DataStream<SpanEvent> timed = present
                .assignTimestampsAndWatermarks(watermarks(options))
                .name("span end time").uid("span-event-time");
        // After the attributes are dropped: a chained operator copies each span (object reuse is off), so there
        // it copies no attribute map.
        SingleOutputStreamOperator<SpanEvent> guarded = timed
                .map(new WithoutAttributes()).name("drop attributes").uid("latency-without-attributes")
                .transform("route spans late after a restore", timed.getType(),
                        new RouteLateAfterRestore<>(options.allowedLateness(), LATE_SPANS))
                .uid("route-late-spans-after-restore");
        SingleOutputStreamOperator<LatencyMinute> minutes = latencyPerMinute(guarded, options);
        minutes.sinkTo(sinks.latency()).name("latency_minute").uid("latency-minute-sink");

        minutes.getSideOutput(LATE_SPANS)
                .union(guarded.getSideOutput(LATE_SPANS))
                .process(new CountLateSpans()).name("count late spans").uid("count-late-spans")
                .union(present.getSideOutput(RouteFutureSpans.FUTURE_SPANS))
                .sinkTo(sinks.lateSpans()).name("late_events").uid("late-spans-sink");
        return timed;
    }

    static WatermarkStrategy<SpanEvent> watermarks(JobOptions options) {
        return WatermarkStrategy.<SpanEvent>forBoundedOutOfOrderness(options.outOfOrderness())
                .withTimestampAssigner(new SpanEndTime())
                .withIdleness(options.idleness());
    }

    /** The windowed aggregation on its own, so tests can drive its operator with Flink's test harness. */
    static SingleOutputStreamOperator<LatencyMinute> latencyPerMinute(DataStream<SpanEvent> spans,
                                                                      JobOptions options) {
        return spans
                .keyBy(new ByOperation())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(options.allowedLateness())
                .trigger(new EarlyFiringTrigger(options.earlyFiring()))
                .sideOutputLateData(LATE_SPANS)
                .aggregate(new LatencyAggregate(), new StampMinute())
                .name("latency per minute").uid("latency-per-minute");
    }
}
