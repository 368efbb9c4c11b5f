package io.nines.streaming.clickhouse;

import io.nines.streaming.latency.LatencyMinute;

/** Writes per-minute latency into ClickHouse's {@code latency_minute} table. */
public final class LatencyMinuteSink extends RowSink<LatencyMinute> {

    public LatencyMinuteSink(ClickHouseOptions options) {
        super(options, new LatencyMinuteRows());
    }
}
