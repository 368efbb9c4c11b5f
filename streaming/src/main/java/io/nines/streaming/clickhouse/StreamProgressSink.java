package io.nines.streaming.clickhouse;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes the job's event-time watermark into {@code stream_progress}, and how far its minutes are final: the
 * watermark less the allowed lateness, since a late event within the lateness re-emits a minute whose end the
 * watermark has already passed. Readers tell final minutes from provisional ones by it. Its input elements are ignored: it is attached downstream of the windows only for
 * their watermark, and must run with parallelism 1, where the watermark is the least of all upstream ones.
 *
 * <p>Every interval it writes the watermark it had seen one interval earlier: rows the windows emitted before
 * that watermark have then had a whole interval (longer than the row sinks' flush interval) to land, so a
 * minute is never reported closed before its final row is stored.
 */
public final class StreamProgressSink<T> implements Sink<T> {

    private final ClickHouseOptions options;
    private final String job;
    private final Duration interval;
    private final Duration allowedLateness;

    /**
     * @param job the name the watermark is stored under
     * @param interval how often the watermark is written
     * @param allowedLateness how long after its end the windows still re-emit a minute
     */
    public StreamProgressSink(ClickHouseOptions options, String job, Duration interval, Duration allowedLateness) {
        this.options = Objects.requireNonNull(options, "options");
        this.job = Objects.requireNonNull(job, "job");
        if (job.isBlank()) {
            throw new IllegalArgumentException("job must name the job, was '" + job + "'");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        this.interval = interval;
        if (allowedLateness == null || allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowedLateness must not be negative, was " + allowedLateness);
        }
        this.allowedLateness = allowedLateness;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        try {
            return new Writer<>(options.connect(), options, job, interval.toMillis(), allowedLateness.toMillis(),
                    context.getProcessingTimeService(), new InsertRetry(options.database() + ".stream_progress",
                    options, context.metricGroup()));
        } catch (SQLException e) {
            throw new IOException("cannot connect to ClickHouse at " + options.jdbcUrl(), e);
        }
    }

    private static final class Writer<T> implements SinkWriter<T> {

        private final Connection connection;
        private final String sql;
        private final String job;
        private final long intervalMillis;
        private final long latenessMillis;
        private final ProcessingTimeService time;
        private final InsertRetry retry;
        private long seen = Long.MIN_VALUE;
        private long settled = Long.MIN_VALUE;
        private long written = Long.MIN_VALUE;

        Writer(Connection connection, ClickHouseOptions options, String job, long intervalMillis, long latenessMillis,
               ProcessingTimeService time, InsertRetry retry) {
            this.connection = connection;
            this.sql = "INSERT INTO " + options.database() + ".stream_progress (job, watermark, final_until, updated_at)"
                    + " VALUES (?, ?, ?, ?)";
            this.job = job;
            this.intervalMillis = intervalMillis;
            this.latenessMillis = latenessMillis;
            this.time = time;
            this.retry = retry;
            time.registerTimer(time.getCurrentProcessingTime() + intervalMillis, this::tick);
        }

        @Override
        public void write(T element, Context context) {
        }

        @Override
        public void writeWatermark(Watermark watermark) {
            // The end of time only comes with the end of (bounded) input: no minute is closed by it.
            if (watermark.getTimestamp() != Long.MAX_VALUE) {
                seen = Math.max(seen, watermark.getTimestamp());
            }
        }

        private void tick(long now) throws IOException {
            long due = settled;
            settled = seen;
            if (due > written) {
                retry.run(1, () -> insert(due, now));
                written = due;
            }
            time.registerTimer(now + intervalMillis, this::tick);
        }

        private void insert(long watermark, long now) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                insert.setString(1, job);
                insert.setObject(2, Instant.ofEpochMilli(watermark));
                // Saturates: a watermark near the start of time leaves nothing final rather than wrapping around.
                insert.setObject(3, Instant.ofEpochMilli(Math.max(watermark, Long.MIN_VALUE + latenessMillis) - latenessMillis));
                insert.setObject(4, Instant.ofEpochMilli(now));
                insert.executeUpdate();
            }
        }

        @Override
        public void flush(boolean endOfInput) {
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }
}
