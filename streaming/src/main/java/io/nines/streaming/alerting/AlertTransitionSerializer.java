package io.nines.streaming.alerting;

import io.nines.core.alerting.AlertTransition;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Alert transitions between operators in their wire form, the JSON of {@link AlertTransition#toJson()}: one
 * codec for the topic, the API and the job, and no Kryo for the record's map and list. Public because Flink
 * restores the snapshot class reflectively.
 */
public final class AlertTransitionSerializer extends TypeSerializerSingleton<AlertTransition> {

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public AlertTransition createInstance() {
        return null;
    }

    @Override
    public AlertTransition copy(AlertTransition from) {
        return from;
    }

    @Override
    public AlertTransition copy(AlertTransition from, AlertTransition reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(AlertTransition transition, DataOutputView target) throws IOException {
        byte[] json = transition.toJson();
        target.writeInt(json.length);
        target.write(json);
    }

    @Override
    public AlertTransition deserialize(DataInputView source) throws IOException {
        byte[] json = new byte[source.readInt()];
        source.readFully(json);
        return AlertTransition.fromJson(json);
    }

    @Override
    public AlertTransition deserialize(AlertTransition reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public TypeSerializerSnapshot<AlertTransition> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1: length-prefixed JSON. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AlertTransition> {
        public Snapshot() {
            super(AlertTransitionSerializer::new);
        }
    }
}
