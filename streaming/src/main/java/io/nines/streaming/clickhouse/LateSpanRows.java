package io.nines.streaming.clickhouse;

import io.nines.streaming.late.LateSpan;
import java.time.Instant;
import java.util.List;

/**
 * {@link LateSpan}s as rows of {@code late_events}. A span is its own key: the table's sort key is the
 * span's content, so a span replayed after a failure collapses into the copy that landed before it.
 */
final class LateSpanRows implements RowBinder<LateSpan> {

    @Override
    public String table() {
        return "late_events";
    }

    @Override
    public List<String> columns() {
        return List.of("service", "operation", "end_time", "duration_ms", "error", "minute", "arrival", "reason");
    }

    @Override
    public Object key(LateSpan row) {
        return row;
    }

    @Override
    public long version(LateSpan row) {
        return 0;
    }

    @Override
    public List<Object> values(LateSpan row) {
        return List.of(row.service(), row.operation(), Instant.ofEpochMilli(row.endEpochMillis()),
                row.durationMillis(), row.error(), Instant.ofEpochMilli(row.minuteEpochMillis()),
                Instant.ofEpochMilli(row.arrivalEpochMillis()), row.reason().column());
    }
}
