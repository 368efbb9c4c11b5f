package io.nines.streaming.clickhouse;

import io.nines.streaming.metrics.MetricLatencyMinute;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Writes per-minute latency from histogram metrics into ClickHouse's {@code metric_latency_minute} table. */
public final class MetricLatencyMinuteSink implements Sink<MetricLatencyMinute> {

    private final ClickHouseOptions options;

    public MetricLatencyMinuteSink(ClickHouseOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public SinkWriter<MetricLatencyMinute> createWriter(WriterInitContext context) throws IOException {
        try {
            return new RowWriter<>(options.connect(), options, new MetricLatencyMinuteRows(),
                    context.getProcessingTimeService(), context.metricGroup());
        } catch (SQLException e) {
            throw new IOException("cannot connect to ClickHouse at " + options.jdbcUrl(), e);
        }
    }
}
