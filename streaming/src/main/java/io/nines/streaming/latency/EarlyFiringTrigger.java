package io.nines.streaming.latency;

import java.time.Duration;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires an event-time window when the watermark passes its end, again for every late element, and in
 * between at most once per interval (processing time) while it holds elements not yet emitted. Never purges:
 * each firing emits the whole window so far.
 *
 * <p>The early firings exist because dashboards and alerts need the current minute before it closes, and
 * because when traffic stops no watermark advances to close it at all.
 */
public final class EarlyFiringTrigger extends Trigger<Object, TimeWindow> {

    private final long intervalMillis;
    private final ValueStateDescriptor<Long> earlyFiringAt =
            new ValueStateDescriptor<>("early-firing-at", Types.LONG);

    public EarlyFiringTrigger(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("early firing interval must be positive, was " + interval);
        }
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
            // Late but within the allowed lateness: the window operator kept it, so publish the new total.
            return TriggerResult.FIRE;
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        ValueState<Long> pending = ctx.getPartitionedState(earlyFiringAt);
        if (pending.value() == null) {
            long at = ctx.getCurrentProcessingTime() + intervalMillis;
            ctx.registerProcessingTimeTimer(at);
            pending.update(at);
        }
        return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        ctx.getPartitionedState(earlyFiringAt).clear();
        return TriggerResult.FIRE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        // The window operator's cleanup timer (end + allowed lateness) also lands here; only the end fires.
        if (time != window.maxTimestamp()) {
            return TriggerResult.CONTINUE;
        }
        cancelEarlyFiring(ctx);
        return TriggerResult.FIRE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.deleteEventTimeTimer(window.maxTimestamp());
        cancelEarlyFiring(ctx);
    }

    private void cancelEarlyFiring(TriggerContext ctx) throws Exception {
        ValueState<Long> pending = ctx.getPartitionedState(earlyFiringAt);
        Long at = pending.value();
        if (at != null) {
            ctx.deleteProcessingTimeTimer(at);
            pending.clear();
        }
    }

    @Override
    public String toString() {
        return "EarlyFiringTrigger(every " + intervalMillis + " ms)";
    }
}
