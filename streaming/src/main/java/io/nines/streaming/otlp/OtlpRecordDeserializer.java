package io.nines.streaming.otlp;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps the raw bytes with their Kafka position; parsing happens in {@link SpanDecoder}, where a bad record
 * can be counted and routed aside instead of failing the source.
 */
public final class OtlpRecordDeserializer implements KafkaRecordDeserializationSchema<OtlpRecord> {

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<OtlpRecord> out) {
        out.collect(new OtlpRecord(record.topic(), record.partition(), record.offset(), record.value()));
    }

    @Override
    public TypeInformation<OtlpRecord> getProducedType() {
        return TypeInformation.of(OtlpRecord.class);
    }
}
