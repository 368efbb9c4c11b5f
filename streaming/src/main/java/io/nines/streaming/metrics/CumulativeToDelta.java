package io.nines.streaming.metrics;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns cumulative histogram points into deltas, per series (keyed by {@link HistogramPoint#series()});
 * delta points pass as they are. A cumulative point counts everything since its start time, so:
 *
 * <ul>
 *   <li>the next point of the same start time emits the increase over the previous one;
 *   <li>a new start time is a reset (the process restarted): everything since the new start is new, and
 *       is emitted whole;
 *   <li>the first point the job sees of a series is emitted whole only if its start lies less than
 *       {@link #FRESH_SERIES} before its time (the series just began); otherwise its history belongs to
 *       minutes we cannot know, and it only becomes the baseline ({@code histogramBaselines});
 *   <li>counts that go down without a new start time are a reset the sender did not mark: the point becomes
 *       the new baseline ({@code histogramResets}), counting nothing rather than a history twice;
 *   <li>a point no newer than the previous one (a resend) is ignored.
 * </ul>
 *
 * <p>A series silent for {@link #FORGET_AFTER} of event time is forgotten, state and timer.
 */
public final class CumulativeToDelta extends KeyedProcessFunction<String, HistogramPoint, HistogramPoint> {

    static final Duration FRESH_SERIES = Duration.ofMinutes(1);
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private transient ValueState<HistogramPoint> previous;
    private transient ValueState<Long> forgetAt;
    private transient Counter baselines;
    private transient Counter resets;

    @Override
    public void open(OpenContext openContext) {
        previous = getRuntimeContext().getState(
                new ValueStateDescriptor<>("previous-point", TypeInformation.of(HistogramPoint.class)));
        forgetAt = getRuntimeContext().getState(new ValueStateDescriptor<>("forget-at", Types.LONG));
        baselines = getRuntimeContext().getMetricGroup().counter("histogramBaselines");
        resets = getRuntimeContext().getMetricGroup().counter("histogramResets");
    }

    @Override
    public void processElement(HistogramPoint point, Context ctx, Collector<HistogramPoint> out) throws Exception {
        if (!point.cumulative()) {
            out.collect(point);
            return;
        }
        HistogramPoint last = previous.value();
        if (last != null && last.startNanos() == point.startNanos()) {
            if (point.timeNanos() <= last.timeNanos()) {
                return;
            }
            HistogramPoint delta = point.minus(last);
            if (delta == null) {
                resets.inc();
            } else if (delta.count() > 0) {
                out.collect(delta);
            }
        } else if (last != null || point.timeNanos() - point.startNanos() < FRESH_SERIES.toNanos()) {
            out.collect(new HistogramPoint(point.series(), point.metric(), point.service(), point.operation(),
                    point.startNanos(), point.timeNanos(), false, point.error(), point.count(), point.sumMillis(),
                    point.buckets()));
        } else {
            baselines.inc();
        }
        previous.update(point);
        Long pending = forgetAt.value();
        if (pending != null) {
            ctx.timerService().deleteEventTimeTimer(pending);
        }
        long at = point.timeEpochMillis() + FORGET_AFTER.toMillis();
        ctx.timerService().registerEventTimeTimer(at);
        forgetAt.update(at);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<HistogramPoint> out) {
        previous.clear();
        forgetAt.clear();
    }
}
