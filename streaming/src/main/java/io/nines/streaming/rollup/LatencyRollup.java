package io.nines.streaming.rollup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nines.streaming.clickhouse.ClickHouseOptions;
import io.nines.streaming.rollup.RollupStore.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls closed minutes of {@code latency_minute} up into {@code latency_hour}, and whole rolled-up days of hours
 * into {@code latency_day}, on a thread of its own beside the streaming job.
 *
 * <p>An hour is closed once the job's {@code final_until} (in {@code stream_progress}: its watermark minus the
 * allowed lateness, the same mark the API's {@code provisional} reads) has passed its end: from then on no event
 * can re-emit one of its minutes, so its sums are final. The progress is written only after the minutes it
 * closes have landed (see {@code StreamProgressSink}), so the rollup never reads an hour before its last minute
 * is stored. Each pass rolls what is closed and not yet
 * rolled, in order, and records how far it got in {@code rollup_progress} after the rows: a pass that fails or
 * a process that crashes midway leaves the progress behind the rows, and the next pass redoes that range,
 * whose rows collapse under FINAL into the same sums. A failed pass is counted ({@code nines.rollup.failures})
 * and retried at the next tick; it never stops the job.
 */
public final class LatencyRollup implements AutoCloseable {

    /** Hours are rolled a day per insert, days a month per insert, so no insert reads an unbounded range. */
    private static final Duration HOUR_CHUNK = Duration.ofDays(1);
    private static final Duration DAY_CHUNK = Duration.ofDays(31);

    private static final Logger LOG = LoggerFactory.getLogger(LatencyRollup.class);

    private final ClickHouseOptions options;
    private final String job;
    private final InstantSource clock;
    private final RollupStore store;
    private final Counter failures;
    private final Counter hours;
    private final Counter days;
    private ScheduledExecutorService executor;

    /**
     * @param job the streaming job whose progress closes minutes
     */
    public LatencyRollup(ClickHouseOptions options, String job, InstantSource clock, MeterRegistry metrics) {
        this.options = Objects.requireNonNull(options, "options");
        this.job = Objects.requireNonNull(job, "job");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = new RollupStore(options.database());
        this.failures = Counter.builder("nines.rollup.failures")
                .description("rollup passes that failed and are retried at the next tick").register(metrics);
        this.hours = Counter.builder("nines.rollup.periods").tag("table", Level.HOUR.table)
                .description("hours or days rolled up").register(metrics);
        this.days = Counter.builder("nines.rollup.periods").tag("table", Level.DAY.table)
                .description("hours or days rolled up").register(metrics);
    }

    /** Runs a pass now and then {@code interval} after each pass ends, until {@link #close}. */
    public synchronized void start(Duration interval) {
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        if (executor != null) {
            throw new IllegalStateException("the rollup is already running");
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "latency-rollup");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            rollClosed();
        } catch (SQLException | RuntimeException e) {
            // Caught here because an exception escaping a scheduled task would cancel every later tick.
            failures.increment();
            LOG.warn("latency rollup failed, retrying at the next tick: {}", e.toString());
        }
    }

    /** One pass: rolls up every closed hour, then every whole rolled-up day, not rolled up yet. */
    void rollClosed() throws SQLException {
        try (Connection connection = options.connect()) {
            Optional<RollupStore.Progress> progress = store.progress(connection, job);
            if (progress.isEmpty()) {
                return;
            }
            long version = progress.get().watermark().toEpochMilli();
            Instant closed = progress.get().finalUntil().truncatedTo(ChronoUnit.HOURS);
            Optional<Instant> hourStart = start(connection, Level.HOUR);
            if (hourStart.isEmpty()) {
                return;
            }
            Instant hoursThrough = roll(connection, Level.HOUR, hourStart.get(), closed, version, HOUR_CHUNK);
            Instant dayStart = start(connection, Level.DAY).orElse(hoursThrough);
            roll(connection, Level.DAY, dayStart, hoursThrough.truncatedTo(ChronoUnit.DAYS), version, DAY_CHUNK);
        }
    }

    /** Where rolling up continues: the recorded progress, else the day of the first stored minute. */
    private Optional<Instant> start(Connection connection, Level level) throws SQLException {
        Optional<Instant> through = store.through(connection, level);
        return through.isPresent() ? through
                : store.firstMinute(connection).map(minute -> minute.truncatedTo(ChronoUnit.DAYS));
    }

    /** Rolls [from, to) chunk by chunk, each chunk's rows before its progress; returns how far it got. */
    private Instant roll(Connection connection, Level level, Instant from, Instant to, long version, Duration chunk)
            throws SQLException {
        Instant at = from;
        while (at.isBefore(to) && !Thread.currentThread().isInterrupted()) {
            Instant end = at.truncatedTo(ChronoUnit.DAYS).plus(chunk);
            end = end.isAfter(to) ? to : end;
            store.roll(connection, level, at, end, version);
            store.record(connection, level, end, clock.instant());
            long periods = level == Level.HOUR ? Duration.between(at, end).toHours()
                    : Duration.between(at, end).toDays();
            (level == Level.HOUR ? hours : days).increment(periods);
            at = end;
        }
        return at;
    }

    /** Stops the thread; a pass cut short is redone by the next process (see the class comment). */
    @Override
    public synchronized void close() {
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("latency rollup did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
