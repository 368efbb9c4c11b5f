package io.nines.streaming.alerting;

import io.nines.core.alerting.AlertTransition;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Tells Flink to carry {@link AlertTransition}s with {@link AlertTransitionSerializer}. */
public final class AlertTransitionTypeInfo extends TypeInformation<AlertTransition> {

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<AlertTransition> getTypeClass() {
        return AlertTransition.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<AlertTransition> createSerializer(SerializerConfig config) {
        return new AlertTransitionSerializer();
    }

    @Override
    public String toString() {
        return "AlertTransition";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AlertTransitionTypeInfo;
    }

    @Override
    public int hashCode() {
        return AlertTransitionTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof AlertTransitionTypeInfo;
    }
}
