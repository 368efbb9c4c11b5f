package io.nines.streaming.clickhouse;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** A sink of whole rows into one table through a {@link RowWriter}; each table's sink names its binder. */
abstract class RowSink<T> implements Sink<T> {

    private final ClickHouseOptions options;
    private final RowBinder<T> binder;

    RowSink(ClickHouseOptions options, RowBinder<T> binder) {
        this.options = Objects.requireNonNull(options, "options");
        this.binder = Objects.requireNonNull(binder, "binder");
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        try {
            return new RowWriter<>(options.connect(), options, binder, context.getProcessingTimeService(),
                    context.metricGroup());
        } catch (SQLException e) {
            throw new IOException("cannot connect to ClickHouse at " + options.jdbcUrl(), e);
        }
    }
}
