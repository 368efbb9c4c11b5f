package io.nines.streaming.clickhouse;

import io.nines.streaming.slo.SloMinute;

/** Writes per-minute good and total events of every SLO group into ClickHouse's {@code slo_minute} table. */
public final class SloMinuteSink extends RowSink<SloMinute> {

    public SloMinuteSink(ClickHouseOptions options) {
        super(options, new SloMinuteRows());
    }
}
