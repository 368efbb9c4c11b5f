package io.nines.streaming.clickhouse;

import io.nines.streaming.late.LatePoint;
import io.nines.streaming.metrics.HistogramPoint;
import java.time.Instant;
import java.util.List;

/**
 * {@link LatePoint}s as rows of {@code late_metric_points}. A point is its own key, without the time it was
 * set aside: the table's sort key is the point's content, so a point replayed after a failure collapses into
 * the copy that landed before it.
 */
final class LatePointRows implements RowBinder<LatePoint> {

    private record Key(HistogramPoint point, String reason) {
    }

    @Override
    public String table() {
        return "late_metric_points";
    }

    @Override
    public List<String> columns() {
        return List.of("service", "operation", "metric", "series", "start_time", "time", "minute", "error", "count",
                "sum_ms", "buckets", "set_aside_at", "reason");
    }

    @Override
    public Object key(LatePoint row) {
        return new Key(row.point(), row.reason().column());
    }

    @Override
    public long version(LatePoint row) {
        return 0;
    }

    @Override
    public List<Object> values(LatePoint row) {
        HistogramPoint point = row.point();
        return List.of(point.service(), point.operation(), point.metric(), point.series(),
                Instant.ofEpochMilli(Math.floorDiv(point.startNanos(), 1_000_000L)),
                Instant.ofEpochMilli(point.timeEpochMillis()), Instant.ofEpochMilli(row.minuteEpochMillis()),
                point.error(), point.count(), point.sumMillis(), point.buckets(),
                Instant.ofEpochMilli(row.setAsideEpochMillis()), row.reason().column());
    }
}
