package io.nines.streaming.clickhouse;

import io.nines.streaming.latency.LatencyMinute;
import java.time.Instant;
import java.util.List;

/** {@link LatencyMinute}s as rows of {@code latency_minute}. */
final class LatencyMinuteRows implements RowBinder<LatencyMinute> {

    private record Key(String service, String operation, long minuteEpochMillis) {
    }

    @Override
    public String table() {
        return "latency_minute";
    }

    @Override
    public List<String> columns() {
        return List.of("service", "operation", "minute", "count", "errors", "sum_ms", "buckets", "version");
    }

    @Override
    public Object key(LatencyMinute row) {
        return new Key(row.service(), row.operation(), row.minuteEpochMillis());
    }

    @Override
    public long version(LatencyMinute row) {
        return row.version();
    }

    @Override
    public List<Object> values(LatencyMinute row) {
        // An Instant, unlike a LocalDateTime, is encoded without the JVM's time zone; buckets are sorted.
        return List.of(row.service(), row.operation(), Instant.ofEpochMilli(row.minuteEpochMillis()), row.count(),
                row.errors(), row.sumMillis(), row.buckets(), row.version());
    }
}
