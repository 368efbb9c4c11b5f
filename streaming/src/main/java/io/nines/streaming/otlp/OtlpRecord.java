package io.nines.streaming.otlp;

import java.util.Objects;

/**
 * One Kafka record of the spans topic, with where it came from so a record that cannot be decoded can be
 * reported by position without logging its payload.
 */
public record OtlpRecord(String topic, int partition, long offset, byte[] value) {

    public OtlpRecord {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative, was " + partition);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    /** Where the record came from, as topic/partition@offset. */
    public String position() {
        return topic + "/" + partition + "@" + offset;
    }

    @Override
    public String toString() {
        return "OtlpRecord[" + position() + ", " + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
