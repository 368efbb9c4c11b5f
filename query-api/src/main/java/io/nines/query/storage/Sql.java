package io.nines.query.storage;

import com.clickhouse.jdbc.StatementImpl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Runs statements whose values are all bound as parameters; the only identifiers in them are tables named
 * through {@link #table}, checked against the identifier pattern. Failures become
 * {@link StorageUnavailableException}.
 */
public final class Sql {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    /** Maps the current row of a result. */
    public interface RowMapper<T> {
        T map(ResultSet rows) throws SQLException;
    }

    private final DataSource dataSource;
    private final String database;
    private final StorageGuard guard;
    private final int queryTimeoutSeconds;
    private final int networkTimeoutMillis;

    /**
     * How much longer than the query timeout the driver waits for an answer. The server normally ends a slow query
     * itself (TIMEOUT_EXCEEDED); this wait ends the call when the server cannot even say so (stuck, frozen, a
     * network that drops packets). The driver's own wait on the query timeout does not help there: it waits only
     * after the HTTP call returned.
     */
    public static final Duration NETWORK_GRACE = Duration.ofMillis(500);

    /**
     * @param queryTimeout how long ClickHouse may work on one statement (whole seconds, rounded up): the server
     *     cancels it then, so a slow query cannot hold a pooled connection for long
     */
    public Sql(DataSource dataSource, String database, StorageGuard guard, Duration queryTimeout) {
        if (database == null || !IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("database must be a plain identifier, was '" + database + "'");
        }
        if (queryTimeout == null || queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("queryTimeout must be positive, was " + queryTimeout);
        }
        this.dataSource = dataSource;
        this.database = database;
        this.guard = guard;
        this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
        this.networkTimeoutMillis = (int) (queryTimeoutSeconds * 1000L + NETWORK_GRACE.toMillis());
    }

    /** {@code database.table}, for a table name from the code, never from a request. */
    public String table(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("table must be a plain identifier, was '" + name + "'");
        }
        return database + "." + name;
    }

    /** A read: retried when ClickHouse could not be reached, refused at once while the breaker is open. */
    public <T> List<T> query(String sql, List<?> parameters, RowMapper<T> mapper) {
        return guard.read(() -> unguardedQuery(sql, parameters, mapper));
    }

    /** A write: tried once, refused at once while the breaker is open. */
    public void update(String sql, List<?> parameters) {
        guard.write(() -> {
            unguardedUpdate(sql, parameters);
            return null;
        });
    }

    private <T> List<T> unguardedQuery(String sql, List<?> parameters, RowMapper<T> mapper) {
        try (Connection connection = connect();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            List<T> results = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    results.add(mapper.map(rows));
                }
            }
            return results;
        } catch (SQLException e) {
            throw failure("query", sql, e);
        }
    }

    private void unguardedUpdate(String sql, List<?> parameters) {
        try (Connection connection = connect();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("statement", sql, e);
        }
    }

    /**
     * ClickHouse out of reach is a 503 to retry; an error it answered (bad SQL, a missing table) is a bug of ours,
     * which retrying cannot fix: it surfaces as an internal error with the details in the log.
     */
    private static RuntimeException failure(String what, String sql, SQLException e) {
        String message = what + " failed: " + e.getMessage() + " [" + sql + "]";
        return StorageGuard.unreachable(e) ? new StorageUnavailableException(message, e)
                : new IllegalStateException(message, e);
    }

    /** A pooled connection whose calls end after the query timeout and grace; the pool resets that on return. */
    private Connection connect() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setNetworkTimeout(Runnable::run, networkTimeoutMillis);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private PreparedStatement prepare(Connection connection, String sql, List<?> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            statement.setQueryTimeout(queryTimeoutSeconds);
            // jdbc-v2 only waits on its side for setQueryTimeout; max_execution_time makes the server end the query.
            if (statement.isWrapperFor(StatementImpl.class)) {
                statement.unwrap(StatementImpl.class).getLocalSettings()
                        .serverSetting("max_execution_time", Integer.toString(queryTimeoutSeconds));
            }
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }
}
