package io.nines.streaming.clickhouse;

import io.nines.streaming.latency.LatencyMinute;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows waiting for one insert into {@code latency_minute}.
 *
 * <p>Only the newest emission of each minute is kept: every emission is the whole minute, so older ones in
 * the same batch would be replaced in ClickHouse anyway. The insert carries a token derived from the rows,
 * so a batch re-sent after a failure whose first attempt did land is dropped by ClickHouse's deduplication.
 */
final class LatencyMinuteBatch {

    private record MinuteKey(String service, String operation, long minuteEpochMillis) {
    }

    private final Map<MinuteKey, LatencyMinute> rows = new LinkedHashMap<>();

    void add(LatencyMinute row) {
        rows.merge(new MinuteKey(row.service(), row.operation(), row.minuteEpochMillis()), row,
                (older, newer) -> newer.version() >= older.version() ? newer : older);
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
        for (LatencyMinute row : rows.values()) {
            line.setLength(0);
            line.append(row.service()).append('\0').append(row.operation()).append('\0')
                    .append(row.minuteEpochMillis()).append('\0').append(row.count()).append('\0')
                    .append(row.errors()).append('\0').append(Double.doubleToLongBits(row.sumMillis()))
                    .append('\0').append(row.buckets()).append('\n');
            digest.update(line.toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Inserts every row in one statement, hence one ClickHouse block with one deduplication token. */
    void insertInto(Connection connection, String table) throws SQLException {
        // The token is hex digits only, so it is safe to inline: a SETTINGS clause takes no bound parameters.
        String sql = "INSERT INTO " + table
                + " (service, operation, minute, count, errors, sum_ms, buckets, version)"
                + " SETTINGS insert_deduplication_token = '" + deduplicationToken() + "'"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (LatencyMinute row : rows.values()) {
                insert.setString(1, row.service());
                insert.setString(2, row.operation());
                // An Instant, unlike a LocalDateTime, is encoded without the JVM's time zone.
                insert.setObject(3, Instant.ofEpochMilli(row.minuteEpochMillis()));
                insert.setLong(4, row.count());
                insert.setLong(5, row.errors());
                insert.setDouble(6, row.sumMillis());
                insert.setObject(7, row.buckets());
                insert.setLong(8, row.version());
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
