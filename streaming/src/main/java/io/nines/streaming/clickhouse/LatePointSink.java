package io.nines.streaming.clickhouse;

import io.nines.streaming.late.LatePoint;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Writes the histogram points the job set aside (too late) into ClickHouse's {@code late_metric_points}. */
public final class LatePointSink implements Sink<LatePoint> {

    private final ClickHouseOptions options;

    public LatePointSink(ClickHouseOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public SinkWriter<LatePoint> createWriter(WriterInitContext context) throws IOException {
        try {
            return new RowWriter<>(options.connect(), options, new LatePointRows(),
                    context.getProcessingTimeService(), context.metricGroup());
        } catch (SQLException e) {
            throw new IOException("cannot connect to ClickHouse at " + options.jdbcUrl(), e);
        }
    }
}
