package io.nines.streaming.latency;

import io.nines.streaming.types.SerializerTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Tells Flink to keep {@link LatencyAccumulator} with {@link LatencyAccumulatorSerializer}: found through
 * {@code @TypeInfo} on the class and instantiated reflectively, hence public.
 */
public final class LatencyAccumulatorTypeInfoFactory extends TypeInfoFactory<LatencyAccumulator> {

    @Override
    public TypeInformation<LatencyAccumulator> createTypeInfo(
            Type type, Map<String, TypeInformation<?>> genericParameters) {
        return new SerializerTypeInfo<>(LatencyAccumulator.class, LatencyAccumulatorSerializer::new);
    }
}
