package io.nines.query.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
    private static final int QUERY_TIMEOUT_SECONDS = 30;

    /** Maps the current row of a result. */
    public interface RowMapper<T> {
        T map(ResultSet rows) throws SQLException;
    }

    private final DataSource dataSource;
    private final String database;

    public Sql(DataSource dataSource, String database) {
        if (database == null || !IDENTIFIER.matcher(database).matches()) {
            throw new IllegalArgumentException("database must be a plain identifier, was '" + database + "'");
        }
        this.dataSource = dataSource;
        this.database = database;
    }

    /** {@code database.table}, for a table name from the code, never from a request. */
    public String table(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("table must be a plain identifier, was '" + name + "'");
        }
        return database + "." + name;
    }

    public <T> List<T> query(String sql, List<?> parameters, RowMapper<T> mapper) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            List<T> results = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    results.add(mapper.map(rows));
                }
            }
            return results;
        } catch (SQLException e) {
            throw new StorageUnavailableException("query failed: " + e.getMessage() + " [" + sql + "]", e);
        }
    }

    public void update(String sql, List<?> parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StorageUnavailableException("statement failed: " + e.getMessage() + " [" + sql + "]", e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, List<?> parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
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
