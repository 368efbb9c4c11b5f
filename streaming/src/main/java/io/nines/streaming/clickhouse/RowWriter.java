package io.nines.streaming.clickhouse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * Buffers rows and inserts them when the batch is full, when the oldest row has waited the flush interval,
 * and whenever Flink flushes (before every checkpoint and at the end of input), so a completed checkpoint
 * implies its rows are in ClickHouse: at-least-once, made idempotent by the table's versions and the
 * batch's deduplication token.
 */
final class RowWriter<T> implements SinkWriter<T> {

    private final Connection connection;
    private final String database;
    private final ClickHouseOptions options;
    private final ProcessingTimeService time;
    private final InsertRetry retry;
    private final Counter rowsWritten;
    private final RowBatch<T> batch;
    private boolean flushScheduled;

    RowWriter(Connection connection, ClickHouseOptions options, RowBinder<T> binder, ProcessingTimeService time,
              SinkWriterMetricGroup metrics) {
        this.connection = connection;
        this.database = options.database();
        this.options = options;
        this.time = time;
        this.batch = new RowBatch<>(binder);
        this.rowsWritten = metrics.getNumRecordsSendCounter();
        this.retry = new InsertRetry(database + "." + binder.table(), options, metrics);
    }

    @Override
    public void write(T row, Context context) throws IOException {
        batch.add(row);
        if (batch.size() >= options.batchSize()) {
            insertBatch();
        } else if (!flushScheduled) {
            flushScheduled = true;
            time.registerTimer(time.getCurrentProcessingTime() + options.flushInterval().toMillis(), at -> {
                flushScheduled = false;
                insertBatch();
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        insertBatch();
    }

    private void insertBatch() throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        int rows = batch.size();
        retry.run(rows, () -> batch.insertInto(connection, database));
        batch.clear();
        rowsWritten.inc(rows);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
