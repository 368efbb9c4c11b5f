package io.nines.streaming.alerting;

import io.nines.core.alerting.AlertTransition;
import java.util.Objects;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alert transitions as Kafka records: key = alert id ({@code slo/severity}), so one alert's transitions stay in
 * order on one partition; value = the transition's JSON. The record timestamp is left to the producer (the
 * time it was sent): the event time is in the value, and a broker refuses timestamps far from its clock.
 */
public final class AlertRecords implements KafkaRecordSerializationSchema<AlertTransition> {

    private final String topic;

    public AlertRecords(String topic) {
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AlertTransition transition, KafkaSinkContext context,
                                                    Long timestamp) {
        return new ProducerRecord<>(topic, null, null, transition.key(), transition.toJson());
    }
}
