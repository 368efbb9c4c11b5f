package io.nines.streaming.clickhouse;

import io.nines.core.alerting.AlertTransition;

/** Writes alert transitions into ClickHouse's {@code alert_events} table. */
public final class AlertEventSink extends RowSink<AlertTransition> {

    public AlertEventSink(ClickHouseOptions options) {
        super(options, new AlertEventRows());
    }
}
