package io.nines.streaming.job;

import io.nines.streaming.late.RouteLateAfterRestore;
import io.nines.streaming.latency.EarlyFiringTrigger;
import io.nines.streaming.otlp.RejectedRecord;
import io.nines.streaming.otlp.SpanEvent;
import io.nines.streaming.slo.BySloGroup;
import io.nines.streaming.slo.ByService;
import io.nines.streaming.slo.CountGood;
import io.nines.streaming.slo.CountLateSloEvents;
import io.nines.streaming.slo.DecodeDefinitions;
import io.nines.streaming.slo.DefinitionRecord;
import io.nines.streaming.slo.DefinitionsHoldNoTime;
import io.nines.streaming.slo.EvaluateSlos;
import io.nines.streaming.slo.SloChange;
import io.nines.streaming.slo.SloEvent;
import io.nines.streaming.slo.SloMinute;
import io.nines.streaming.slo.StampSloMinute;
import java.time.Duration;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The SLO part of the job: spans in event time and SLO definitions in, good and total events per SLO, group
 * and minute out, with the same minutes, trigger and lateness as latency.
 *
 * <pre>
 * definitions -> decode -> broadcast --------\
 *                  \-> rejected sink           v
 * spans (event time) -> keyBy(service) -> evaluate SLOs -> late after restore -> keyBy(slo, group)
 *                               (alerts) <-/                      |              -> 1-minute windows -> slo_minute
 *                                                                 |                    |   \-> stream_progress
 *                                                                 \----------> late events -> late sink
 * </pre>
 *
 * <p>Operator uids are part of the savepoint format: never change one once released.
 */
public final class SloJob {

    /** SLO events that arrived after their minute's allowed lateness. */
    public static final OutputTag<SloEvent> LATE_SLO_EVENTS = new OutputTag<>("late-slo-events") {};

    private SloJob() {
    }

    /**
     * Where the SLO part's results go.
     *
     * @param progress receives the SLO minutes only for their watermark (see
     *     {@link io.nines.streaming.clickhouse.StreamProgressSink}); runs with parallelism 1
     */
    public record Sinks(Sink<SloMinute> sloMinutes, Sink<SloMinute> progress, Sink<SloEvent> lateEvents,
                        Sink<RejectedRecord> rejected) {
        public Sinks {
            Objects.requireNonNull(sloMinutes, "sloMinutes");
            Objects.requireNonNull(progress, "progress");
            Objects.requireNonNull(lateEvents, "lateEvents");
            Objects.requireNonNull(rejected, "rejected");
        }
    }

    /**
     * What later parts build on: the SLO events (event time) and the broadcast definitions.
     */
    public record Outputs(DataStream<SloEvent> events, BroadcastStream<SloChange> definitions) {
        public Outputs {
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(definitions, "definitions");
        }
    }

    /** Adds the SLO part to the environment of {@code spans}, which must carry event time. */
    public static Outputs attach(DataStream<SpanEvent> spans, DataStream<DefinitionRecord> definitions,
                                 JobOptions options, Sinks sinks) {
        SingleOutputStreamOperator<SloChange> changes = definitions
                .process(new DecodeDefinitions()).name("decode SLO definitions").uid("decode-slo-definitions");
        changes.getSideOutput(DecodeDefinitions.REJECTED)
                .sinkTo(sinks.rejected()).name("rejected SLO definitions").uid("rejected-slo-definitions-sink");

        BroadcastStream<SloChange> broadcast = changes
                .assignTimestampsAndWatermarks(WatermarkStrategy.forGenerator(context -> new DefinitionsHoldNoTime<>()))
                .name("definitions hold no event time").uid("slo-definitions-time")
                .broadcast(EvaluateSlos.DEFINITIONS);
        SingleOutputStreamOperator<SloEvent> events = spans
                .keyBy(new ByService())
                .connect(broadcast)
                .process(new EvaluateSlos()).name("evaluate SLOs").uid("evaluate-slos");

        SingleOutputStreamOperator<SloEvent> guarded = events
                .transform("route SLO events late after a restore", events.getType(),
                        new RouteLateAfterRestore<>(options.allowedLateness(), LATE_SLO_EVENTS))
                .uid("route-late-slo-events-after-restore");
        SingleOutputStreamOperator<SloMinute> minutes = sloPerMinute(guarded, options);
        minutes.sinkTo(sinks.sloMinutes()).name("slo_minute").uid("slo-minute-sink");
        minutes.sinkTo(sinks.progress()).name("stream_progress").uid("stream-progress-sink").setParallelism(1);
        minutes.getSideOutput(LATE_SLO_EVENTS)
                .union(guarded.getSideOutput(LATE_SLO_EVENTS))
                .process(new CountLateSloEvents()).name("count late SLO events").uid("count-late-slo-events")
                .sinkTo(sinks.lateEvents()).name("late SLO events").uid("late-slo-events-sink");
        return new Outputs(events, broadcast);
    }

    /** The windowed count on its own, so tests can drive its operator with Flink's test harness. */
    static SingleOutputStreamOperator<SloMinute> sloPerMinute(DataStream<SloEvent> events, JobOptions options) {
        return events
                .keyBy(new BySloGroup())
                .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
                .allowedLateness(options.allowedLateness())
                .trigger(new EarlyFiringTrigger(options.earlyFiring()))
                .sideOutputLateData(LATE_SLO_EVENTS)
                .aggregate(new CountGood(), new StampSloMinute())
                .name("SLO events per minute").uid("slo-per-minute");
    }
}
