package io.nines.streaming.clickhouse;

import io.nines.streaming.latency.LatencyMinute;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Writes per-minute latency into ClickHouse's {@code latency_minute} table. */
public final class LatencyMinuteSink implements Sink<LatencyMinute> {

    private final ClickHouseOptions options;

    public LatencyMinuteSink(ClickHouseOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public SinkWriter<LatencyMinute> createWriter(WriterInitContext context) throws IOException {
        try {
            return new LatencyMinuteWriter(options.connect(), options, context.getProcessingTimeService(),
                    context.metricGroup());
        } catch (SQLException e) {
            throw new IOException("cannot connect to ClickHouse at " + options.jdbcUrl(), e);
        }
    }
}
