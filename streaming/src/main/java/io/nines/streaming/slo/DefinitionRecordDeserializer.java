package io.nines.streaming.slo;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps key and value as they are; decoding happens in {@link DecodeDefinitions}, where a bad record can be
 * counted and routed aside instead of failing the source.
 */
public final class DefinitionRecordDeserializer implements KafkaRecordDeserializationSchema<DefinitionRecord> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<DefinitionRecord> out) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        out.collect(new DefinitionRecord(record.topic(), record.partition(), record.offset(), key, record.value()));
    }

    @Override
    public TypeInformation<DefinitionRecord> getProducedType() {
        return TypeInformation.of(DefinitionRecord.class);
    }
}
