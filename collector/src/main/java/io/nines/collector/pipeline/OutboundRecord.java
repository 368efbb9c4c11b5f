package io.nines.collector.pipeline;

import java.util.Objects;

/**
 * One message for the sink.
 *
 * @param key   partitioning key; records with the same key stay in order
 * @param value the encoded payload, owned by this record from now on
 * @param items how many telemetry items (spans, data points, log records) the payload holds
 */
public record OutboundRecord(String key, byte[] value, int items) {

    public OutboundRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (items < 0) {
            throw new IllegalArgumentException("items must be >= 0 but was " + items);
        }
    }
}
