package io.nines.streaming.clickhouse;

import io.nines.streaming.slo.SloMinute;
import java.time.Instant;
import java.util.List;

/** {@link SloMinute}s as rows of {@code slo_minute}. */
final class SloMinuteRows implements RowBinder<SloMinute> {

    private record Key(String slo, String group, long minuteEpochMillis) {
    }

    @Override
    public String table() {
        return "slo_minute";
    }

    @Override
    public List<String> columns() {
        return List.of("slo", "group_value", "minute", "good", "total", "version");
    }

    @Override
    public Object key(SloMinute row) {
        return new Key(row.slo(), row.group(), row.minuteEpochMillis());
    }

    @Override
    public long version(SloMinute row) {
        return row.version();
    }

    @Override
    public List<Object> values(SloMinute row) {
        return List.of(row.slo(), row.group(), Instant.ofEpochMilli(row.minuteEpochMillis()), row.good(),
                row.total(), row.version());
    }
}
