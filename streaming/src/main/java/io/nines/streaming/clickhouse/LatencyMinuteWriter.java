package io.nines.streaming.clickhouse;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.nines.streaming.latency.LatencyMinute;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers minutes and inserts them when the batch is full, when the oldest row has waited the flush interval,
 * and whenever Flink flushes (before every checkpoint and at the end of input), so a completed checkpoint
 * implies its rows are in ClickHouse: at-least-once, made idempotent by the table's versions and the
 * batch's deduplication token.
 */
final class LatencyMinuteWriter implements SinkWriter<LatencyMinute> {

    private static final Logger LOG = LoggerFactory.getLogger(LatencyMinuteWriter.class);

    private final Connection connection;
    private final String table;
    private final ClickHouseOptions options;
    private final ProcessingTimeService time;
    private final Retry retry;
    private final Counter rowsWritten;
    private final LatencyMinuteBatch batch = new LatencyMinuteBatch();
    private boolean flushScheduled;

    LatencyMinuteWriter(Connection connection, ClickHouseOptions options, ProcessingTimeService time,
                        SinkWriterMetricGroup metrics) {
        this.connection = connection;
        this.table = options.database() + ".latency_minute";
        this.options = options;
        this.time = time;
        this.rowsWritten = metrics.getNumRecordsSendCounter();
        Counter insertRetries = metrics.counter("insertRetries");
        this.retry = Retry.of("clickhouse-" + table, RetryConfig.custom()
                .maxAttempts(options.maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(options.initialBackoff(), 2.0, 0.5))
                .retryExceptions(SQLException.class)
                .build());
        retry.getEventPublisher().onRetry(event -> {
            insertRetries.inc();
            LOG.warn("insert into {} failed (attempt {}), retrying in {}: {}", table,
                    event.getNumberOfRetryAttempts(), event.getWaitInterval(), event.getLastThrowable().toString());
        });
    }

    @Override
    public void write(LatencyMinute row, Context context) throws IOException {
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
        try {
            retry.executeCallable(() -> {
                batch.insertInto(connection, table);
                return null;
            });
        } catch (Exception e) {
            // Failing the task makes Flink restore from the last checkpoint and replay: nothing is lost, and
            // the replayed minutes replace or deduplicate against whatever did land.
            throw new IOException("could not insert " + rows + " rows into " + table + " after "
                    + options.maxAttempts() + " attempts", e);
        }
        batch.clear();
        rowsWritten.inc(rows);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
