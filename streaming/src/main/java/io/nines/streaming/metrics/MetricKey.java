package io.nines.streaming.metrics;

import java.util.Objects;

/** What metric latency is aggregated by. */
public record MetricKey(String service, String operation, String metric) {

    public MetricKey {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(metric, "metric");
    }

    // Flink routes keys by hashCode, which must be the same in every JVM: String's is, a record's is not promised.
    @Override
    public int hashCode() {
        return (31 * service.hashCode() + operation.hashCode()) * 31 + metric.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MetricKey key && service.equals(key.service) && operation.equals(key.operation)
                && metric.equals(key.metric);
    }
}
