package io.nines.streaming.clickhouse;

import io.nines.streaming.metrics.MetricLatencyMinute;
import java.time.Instant;
import java.util.List;

/** {@link MetricLatencyMinute}s as rows of {@code metric_latency_minute}. */
final class MetricLatencyMinuteRows implements RowBinder<MetricLatencyMinute> {

    private record Key(String service, String operation, String metric, long minuteEpochMillis) {
    }

    @Override
    public String table() {
        return "metric_latency_minute";
    }

    @Override
    public List<String> columns() {
        return List.of("service", "operation", "metric", "minute", "count", "errors", "sum_ms", "buckets",
                "version");
    }

    @Override
    public Object key(MetricLatencyMinute row) {
        return new Key(row.service(), row.operation(), row.metric(), row.minuteEpochMillis());
    }

    @Override
    public long version(MetricLatencyMinute row) {
        return row.version();
    }

    @Override
    public List<Object> values(MetricLatencyMinute row) {
        return List.of(row.service(), row.operation(), row.metric(), Instant.ofEpochMilli(row.minuteEpochMillis()),
                row.count(), row.errors(), row.sumMillis(), row.buckets(), row.version());
    }
}
