package io.nines.streaming.otlp;

import java.util.Objects;

/** A record or span the job could not use, identified by its Kafka position and a reason, never by payload. */
public record RejectedRecord(String topic, int partition, long offset, String reason) {

    public RejectedRecord {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(reason, "reason");
    }

    static RejectedRecord of(OtlpRecord record, String reason) {
        return new RejectedRecord(record.topic(), record.partition(), record.offset(), reason);
    }
}
