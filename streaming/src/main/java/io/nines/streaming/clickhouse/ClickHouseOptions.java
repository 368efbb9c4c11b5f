package io.nines.streaming.clickhouse;

import io.nines.core.schema.SchemaOptions;
import java.io.Serializable;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Where and how the job writes to ClickHouse.
 *
 * @param jdbcUrl {@code jdbc:clickhouse://host:port/database[?options]}; the database is the schema's
 * @param batchSize rows buffered before an insert
 * @param flushInterval longest time a buffered row waits for its insert
 * @param maxAttempts tries per insert before the job fails and restores from its last checkpoint
 * @param initialBackoff wait before the first retry; doubles (with jitter) for each next one
 * @param cluster the replicated ClickHouse cluster the schema is created on ({@code ON CLUSTER}, Replicated
 *     engines), {@code ""} for a single node; a String, not an Optional, because sinks serialize these options
 */
public record ClickHouseOptions(String jdbcUrl, String user, String password, int batchSize,
                                Duration flushInterval, int maxAttempts, Duration initialBackoff, String cluster)
        implements Serializable {

    public static final int DEFAULT_BATCH_SIZE = 5_000;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

    private static final Pattern DATABASE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    public ClickHouseOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(cluster, "cluster");
        if (!jdbcUrl.startsWith("jdbc:clickhouse://")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:clickhouse://, was '" + jdbcUrl + "'");
        }
        // validates the cluster name as an identifier, so a bad one fails at startup, not at migration
        schemaOptions(jdbcUrl, cluster);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (flushInterval == null || flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive, was " + flushInterval);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive, was " + initialBackoff);
        }
    }

    /** Default batching and retries, on a single node. */
    public static ClickHouseOptions of(String jdbcUrl, String user, String password) {
        return of(jdbcUrl, user, password, "");
    }

    /** Default batching and retries, on {@code cluster} ({@code ""} for a single node). */
    public static ClickHouseOptions of(String jdbcUrl, String user, String password, String cluster) {
        return new ClickHouseOptions(jdbcUrl, user, password, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL,
                DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_BACKOFF, cluster);
    }

    /** The database and deployment shape the schema is migrated into. */
    public SchemaOptions schema() {
        return schemaOptions(jdbcUrl, cluster);
    }

    private static SchemaOptions schemaOptions(String jdbcUrl, String cluster) {
        return new SchemaOptions(databaseOf(jdbcUrl), cluster.isEmpty() ? Optional.empty() : Optional.of(cluster));
    }

    /** The database named in the URL's path. */
    public String database() {
        return databaseOf(jdbcUrl);
    }

    /** Opens a connection with the jdbc-v2 driver directly, so no DriverManager class-loader lookup is involved. */
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        Connection connection = new com.clickhouse.jdbc.Driver().connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("the ClickHouse driver does not accept " + jdbcUrl);
        }
        return connection;
    }

    private static String databaseOf(String jdbcUrl) {
        String path = URI.create(jdbcUrl.substring("jdbc:".length())).getPath();
        String database = path == null ? "" : path.replaceFirst("^/", "");
        if (!DATABASE.matcher(database).matches()) {
            throw new IllegalArgumentException(
                    "jdbcUrl must name a database as its path (jdbc:clickhouse://host:port/database), was '"
                            + jdbcUrl + "'");
        }
        return database;
    }

    @Override
    public String toString() {
        return "ClickHouseOptions[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***, batchSize=" + batchSize
                + ", flushInterval=" + flushInterval + ", maxAttempts=" + maxAttempts
                + ", initialBackoff=" + initialBackoff + ", cluster=" + (cluster.isEmpty() ? "(none)" : cluster) + "]";
    }
}
