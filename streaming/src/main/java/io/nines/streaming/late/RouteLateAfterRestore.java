package io.nines.streaming.late;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.OutputTag;

/**
 * Carries the watermark across a restore, so that elements for minutes whose windows were already purged
 * before the checkpoint go aside as late instead of opening those minutes again.
 *
 * <p>Flink does not checkpoint watermarks: a restored window operator starts from none, and an element for a
 * minute it had purged opens a fresh window whose row, once it holds more elements than the stored one, wins on
 * {@code version = count} and replaces the real minute. This operator sits in front of the windows, keeps in
 * operator state the watermark it has seen (union state, so a rescaled job still knows every subtask's), and
 * after a restore routes to {@code lateTag}, counted ({@code lateAfterRestore}), every element whose 1-minute
 * window ended at least the allowed lateness before the restored watermark: exactly the windows' own rule,
 * applied with the watermark they had. Once the live watermark passes the restored one the windows judge alone.
 *
 * <p>The restored watermark is the one the windows combined: the lowest of the subtasks that were active at the
 * checkpoint (an idle input does not hold a window back); the highest if all were idle. A subtask that had seen
 * no watermark at all contributes nothing, as it held no window back for long (idleness releases it).
 */
public final class RouteLateAfterRestore<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    private static final long MINUTE_MILLIS = 60_000L;

    private final long allowedLatenessMillis;
    private final OutputTag<T> lateTag;

    private transient ListState<Tuple2<Long, Boolean>> watermarks;
    private transient long restoredWatermark;
    private transient long liveWatermark;
    private transient boolean idle;
    private transient Counter lateAfterRestore;

    public RouteLateAfterRestore(Duration allowedLateness, OutputTag<T> lateTag) {
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowedLateness must not be negative, was " + allowedLateness);
        }
        this.allowedLatenessMillis = allowedLateness.toMillis();
        this.lateTag = Objects.requireNonNull(lateTag, "lateTag");
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermarks = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>(
                "watermark-before-restore", Types.TUPLE(Types.LONG, Types.BOOLEAN)));
        long lowestActive = Long.MAX_VALUE;
        long highestIdle = Long.MIN_VALUE;
        for (Tuple2<Long, Boolean> subtask : watermarks.get()) {
            if (subtask.f0 == Long.MIN_VALUE) {
                continue;
            }
            if (subtask.f1) {
                highestIdle = Math.max(highestIdle, subtask.f0);
            } else {
                lowestActive = Math.min(lowestActive, subtask.f0);
            }
        }
        restoredWatermark = lowestActive != Long.MAX_VALUE ? lowestActive : highestIdle;
        liveWatermark = Long.MIN_VALUE;
    }

    @Override
    public void open() throws Exception {
        super.open();
        lateAfterRestore = getMetricGroup().counter("lateAfterRestore");
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        if (restoredWatermark > liveWatermark && element.hasTimestamp()
                && windowCleanupTime(element.getTimestamp()) <= restoredWatermark) {
            lateAfterRestore.inc();
            output.collect(lateTag, element);
        } else {
            output.collect(element);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        liveWatermark = Math.max(liveWatermark, mark.getTimestamp());
        super.processWatermark(mark);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) throws Exception {
        idle = status.isIdle();
        super.processWatermarkStatus(status);
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // Until the live watermark catches up, the windows downstream still lack what the restored one purged.
        watermarks.update(List.of(Tuple2.of(Math.max(liveWatermark, restoredWatermark), idle)));
    }

    /** When the window operator purges the minute of {@code timestamp}: its last millisecond plus the lateness. */
    private long windowCleanupTime(long timestamp) {
        long windowEnd = Math.floorDiv(timestamp, MINUTE_MILLIS) * MINUTE_MILLIS + MINUTE_MILLIS - 1;
        long cleanup = windowEnd + allowedLatenessMillis;
        return cleanup < windowEnd ? Long.MAX_VALUE : cleanup;
    }
}
