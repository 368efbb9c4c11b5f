package io.nines.streaming.slo;

import java.util.Objects;

/**
 * One Kafka record of the SLO definitions topic, undecoded, with its position so a record that cannot be
 * used is reported by position and reason.
 *
 * @param key the SLO name the record is about (null when the record has no key)
 * @param value the {@link io.nines.core.slo.SloRecord} JSON, null for a tombstone
 */
public record DefinitionRecord(String topic, int partition, long offset, String key, byte[] value) {

    public DefinitionRecord {
        Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("partition must not be negative, was " + partition);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, was " + offset);
        }
    }

    @Override
    public String toString() {
        return "DefinitionRecord[" + topic + "/" + partition + "@" + offset + ", key=" + key + ", "
                + (value == null ? "tombstone" : value.length + " bytes") + "]";
    }
}
