package io.nines.streaming.latency;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Window state of {@link LatencyAccumulator} in a compact, versioned form: the totals and the non-empty
 * buckets. Public because Flink restores the snapshot class reflectively.
 */
public final class LatencyAccumulatorSerializer extends TypeSerializerSingleton<LatencyAccumulator> {

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public LatencyAccumulator createInstance() {
        return new LatencyAccumulator();
    }

    @Override
    public LatencyAccumulator copy(LatencyAccumulator from) {
        return from.copy();
    }

    @Override
    public LatencyAccumulator copy(LatencyAccumulator from, LatencyAccumulator reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(LatencyAccumulator accumulator, DataOutputView target) throws IOException {
        accumulator.writeTo(target);
    }

    @Override
    public LatencyAccumulator deserialize(DataInputView source) throws IOException {
        return LatencyAccumulator.readFrom(source);
    }

    @Override
    public LatencyAccumulator deserialize(LatencyAccumulator reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<LatencyAccumulator> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1: the layout written by {@link LatencyAccumulator#writeTo}. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LatencyAccumulator> {
        public Snapshot() {
            super(LatencyAccumulatorSerializer::new);
        }
    }
}
