package io.nines.streaming.clickhouse;

import io.nines.streaming.late.LateSpan;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Writes the spans the job set aside (too late, or from the future) into ClickHouse's {@code late_events}. */
public final class LateSpanSink implements Sink<LateSpan> {

    private final ClickHouseOptions options;

    public LateSpanSink(ClickHouseOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public SinkWriter<LateSpan> createWriter(WriterInitContext context) throws IOException {
        try {
            return new RowWriter<>(options.connect(), options, new LateSpanRows(),
                    context.getProcessingTimeService(), context.metricGroup());
        } catch (SQLException e) {
            throw new IOException("cannot connect to ClickHouse at " + options.jdbcUrl(), e);
        }
    }
}
