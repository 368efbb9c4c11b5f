package io.nines.streaming.latency;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Tells Flink to keep {@link LatencyAccumulator} with {@link LatencyAccumulatorSerializer}; public for Flink's reflection. */
public final class LatencyAccumulatorTypeInfo extends TypeInformation<LatencyAccumulator> {

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
    public Class<LatencyAccumulator> getTypeClass() {
        return LatencyAccumulator.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<LatencyAccumulator> createSerializer(SerializerConfig config) {
        return new LatencyAccumulatorSerializer();
    }

    @Override
    public String toString() {
        return "LatencyAccumulator";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatencyAccumulatorTypeInfo;
    }

    @Override
    public int hashCode() {
        return LatencyAccumulatorTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof LatencyAccumulatorTypeInfo;
    }

    /** Found by Flink through {@code @TypeInfo} on {@link LatencyAccumulator}; instantiated reflectively. */
    public static final class Factory extends TypeInfoFactory<LatencyAccumulator> {
        @Override
        public TypeInformation<LatencyAccumulator> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new LatencyAccumulatorTypeInfo();
        }
    }
}
