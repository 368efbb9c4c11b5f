package io.nines.streaming.latency;

import java.util.Objects;

/** The key latency is aggregated by. */
public record OperationKey(String service, String operation) {

    public OperationKey {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
    }

    // Flink routes keys by hashCode, so it must be the same in every JVM; a record's generated hashCode is
    // not specified to be, String's is.
    @Override
    public int hashCode() {
        return 31 * service.hashCode() + operation.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OperationKey key && service.equals(key.service) && operation.equals(key.operation);
    }
}
