package io.nines.streaming.job;

import io.nines.streaming.latency.ByOperation;
import io.nines.streaming.latency.EarlyFiringTrigger;
import io.nines.streaming.latency.LatencyAggregate;
import io.nines.streaming.latency.LatencyMinute;
import io.nines.streaming.latency.SpanEndTime;
import io.nines.streaming.latency.StampMinute;
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
 * records -> decode -> event time -> keyBy(service, operation) -> 1-minute windows -> latency sink
 *              \-> rejected sink                                       \-> late spans -> late sink
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
    public record Sinks(Sink<LatencyMinute> latency, Sink<SpanEvent> lateSpans, Sink<RejectedRecord> rejected) {
        public Sinks {
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(lateSpans, "lateSpans");
            Objects.requireNonNull(rejected, "rejected");
        }
    }

    /** Adds the job to {@code records}' environment. */
    public static void attach(DataStream<OtlpRecord> records, JobOptions options, Sinks sinks) {
        SingleOutputStreamOperator<SpanEvent> spans = records
                .process(new SpanDecoder()).name("decode OTLP spans").uid("decode-otlp-spans");
        spans.getSideOutput(SpanDecoder.REJECTED)
                .sinkTo(sinks.rejected()).name("rejected records").uid("rejected-records-sink");

        SingleOutputStreamOperator<LatencyMinute> minutes = latencyPerMinute(spans
                .assignTimestampsAndWatermarks(watermarks(options))
                .name("span end time").uid("span-event-time"), options);
        minutes.sinkTo(sinks.latency()).name("latency_minute").uid("latency-minute-sink");

        minutes.getSideOutput(LATE_SPANS)
                .process(new CountLateSpans()).name("count late spans").uid("count-late-spans")
                .sinkTo(sinks.lateSpans()).name("late spans").uid("late-spans-sink");
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
