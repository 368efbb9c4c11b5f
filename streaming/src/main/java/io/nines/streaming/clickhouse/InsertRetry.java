package io.nines.streaming.clickhouse;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.sql.SQLException;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries an insert with jittered exponential backoff, then fails the task so Flink restores and replays. */
final class InsertRetry {

    /** One insert attempt. */
    @FunctionalInterface
    interface Insert {
        void run() throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(InsertRetry.class);

    private final String table;
    private final int maxAttempts;
    private final Retry retry;

    /** Counts retries in {@code metrics} as {@code insertRetries}. */
    InsertRetry(String table, ClickHouseOptions options, MetricGroup metrics) {
        this.table = table;
        this.maxAttempts = options.maxAttempts();
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

    void run(int rows, Insert insert) throws IOException {
        try {
            retry.executeCallable(() -> {
                insert.run();
                return null;
            });
        } catch (Exception e) {
            // Failing the task makes Flink restore from the last checkpoint and replay: nothing is lost, and
            // the replayed rows replace or deduplicate against whatever did land.
            throw new IOException("could not insert " + rows + " rows into " + table + " after " + maxAttempts
                    + " attempts", e);
        }
    }
}
