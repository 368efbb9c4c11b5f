package io.nines.streaming.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Query results as plain values, for assertions on what a job wrote to ClickHouse. */
public final class ClickHouseRows {

    private ClickHouseRows() {
    }

    /** Each row of {@code sql} as its columns' text joined by {@code |}. */
    public static List<String> rows(Connection connection, String sql) throws SQLException {
        return cells(connection, sql).stream().map(row -> String.join("|", row)).toList();
    }

    /** Each row of {@code sql} as the list of its columns' text. */
    public static List<List<String>> cells(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** The first column of the first row of {@code sql} as a number. */
    public static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
