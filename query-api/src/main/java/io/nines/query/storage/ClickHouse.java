package io.nines.query.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.nines.core.schema.SchemaMigrator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooled connections to ClickHouse. jdbc-v2 talks HTTP, so a connection is cheap but not free (an HTTP
 * client, its connection pool and a server round trip to validate it); Hikari reuses them and bounds how many
 * queries one process sends at once.
 */
public final class ClickHouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClickHouse.class);
    /** The embedded server runs one query at a time; a small pool is plenty and protects a real cluster too. */
    private static final int POOL_SIZE = 8;
    private static final int READY_TIMEOUT_SECONDS = 2;
    /**
     * How long a call waits for a pooled connection. Short: while ClickHouse is down every call waits this long
     * before the breaker has seen enough to open. Part of the read retry budget.
     */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(1500);

    private final ClickHouseSettings settings;
    private final HikariDataSource pool;

    private ClickHouse(ClickHouseSettings settings, HikariDataSource pool) {
        this.settings = settings;
        this.pool = pool;
    }

    /** Creates the pool without connecting: ClickHouse may still be starting. */
    public static ClickHouse pool(ClickHouseSettings settings, MeterRegistry registry) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("clickhouse");
        config.setJdbcUrl(settings.serverUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        // The driver retries failed calls on its own, writes included, and after a socket timeout too; the only
        // retries here are StorageGuard's: reads only, never after a timeout, within the read limit.
        config.addDataSourceProperty("retry", "0");
        config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        // Hikari checks a connection idle for over 500 ms before lending it. The driver's isValid() waits on a
        // frozen server past any timeout; a test query runs under the validation timeout set as the network
        // timeout, so a stalled ClickHouse fails the check in a second and the read falls back to a stale answer.
        config.setConnectionTestQuery("SELECT 1");
        config.setInitializationFailTimeout(-1);
        config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new ClickHouse(settings, new HikariDataSource(config));
    }

    public DataSource dataSource() {
        return pool;
    }

    public String database() {
        return settings.schema().database();
    }

    /**
     * Brings the schema up to date, retrying with jittered backoff while ClickHouse starts.
     *
     * @throws IllegalStateException when ClickHouse did not accept the migration within {@code timeout}
     */
    public List<String> migrate(Duration timeout, InstantSource clock) {
        Instant deadline = clock.instant().plus(timeout);
        Retry retry = Retry.of("clickhouse-migration", RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        Duration.ofMillis(200), 2.0, 0.5, Duration.ofSeconds(5)))
                .retryOnException(e -> e instanceof SQLException && clock.instant().isBefore(deadline))
                .build());
        retry.getEventPublisher().onRetry(event -> LOG.info("ClickHouse not ready for the migration (attempt {}): {}",
                event.getNumberOfRetryAttempts(), event.getLastThrowable().getMessage()));
        SchemaMigrator migrator = new SchemaMigrator(settings.schema());
        try {
            List<String> applied = Retry.decorateCheckedSupplier(retry, () -> {
                try (Connection connection = pool.getConnection()) {
                    return migrator.migrate(connection);
                }
            }).get();
            LOG.info("schema of database {} is current; applied now: {}", database(), applied);
            return applied;
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("ClickHouse at " + settings.jdbcUrl() + " did not accept the schema"
                    + " migration within " + timeout.toSeconds() + " s: " + e.getMessage(), e);
        }
    }

    /** Whether ClickHouse answers {@code SELECT 1} now. */
    public boolean isReady() {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(READY_TIMEOUT_SECONDS);
            try (ResultSet rows = statement.executeQuery("SELECT 1")) {
                return rows.next() && rows.getInt(1) == 1;
            }
        } catch (SQLException e) {
            LOG.debug("ClickHouse is not ready", e);
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
