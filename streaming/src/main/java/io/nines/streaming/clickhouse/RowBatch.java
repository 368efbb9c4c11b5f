package io.nines.streaming.clickhouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows waiting for one insert into one table.
 *
 * <p>Only the newest emission of each row key is kept: every emission is the whole row, so older ones in
 * the same batch would be replaced in ClickHouse anyway. The insert carries a token derived from the rows,
 * so a batch re-sent after a failure whose first attempt did land is dropped by ClickHouse's deduplication.
 */
final class RowBatch<T> {

    private final RowBinder<T> binder;
    private final Map<Object, T> rows = new LinkedHashMap<>();

    RowBatch(RowBinder<T> binder) {
        this.binder = binder;
    }

    void add(T row) {
        rows.merge(binder.key(row), row,
                (older, newer) -> binder.version(newer) >= binder.version(older) ? newer : older);
    }

    int size() {
        return rows.size();
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void clear() {
        rows.clear();
    }

    /** The same rows in the same order always give the same token. */
    String deduplicationToken() {
        MessageDigest digest = sha256();
        StringBuilder line = new StringBuilder(256);
        for (T row : rows.values()) {
            line.setLength(0);
            for (Object value : binder.values(row)) {
                line.append(value).append('\0');
            }
            digest.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Inserts every row in one statement, hence one ClickHouse block with one deduplication token. */
    void insertInto(Connection connection, String database) throws SQLException {
        List<String> columns = binder.columns();
        // The token is hex digits only, so it is safe to inline: a SETTINGS clause takes no bound parameters.
        String sql = "INSERT INTO " + database + "." + binder.table() + " (" + String.join(", ", columns) + ")"
                + " SETTINGS insert_deduplication_token = '" + deduplicationToken() + "'"
                + " VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (T row : rows.values()) {
                List<Object> values = binder.values(row);
                for (int i = 0; i < values.size(); i++) {
                    insert.setObject(i + 1, values.get(i));
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
