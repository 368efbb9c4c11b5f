package io.nines.streaming.rollup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The SQL of the rollups. Every value is bound; identifiers are the fixed tables of {@link Level}, and the
 * deduplication token, which a SETTINGS clause cannot take as a parameter, is built from numbers only.
 */
final class RollupStore {

    /** A rollup table, the finer table it sums, and their time columns: the allow-list of identifiers. */
    enum Level {
        HOUR("latency_hour", "hour", "latency_minute", "minute", "toStartOfHour"),
        DAY("latency_day", "day", "latency_hour", "hour", "toStartOfDay");

        final String table;
        final String column;
        final String source;
        final String sourceColumn;
        final String truncate;

        Level(String table, String column, String source, String sourceColumn, String truncate) {
            this.table = table;
            this.column = column;
            this.source = source;
            this.sourceColumn = sourceColumn;
            this.truncate = truncate;
        }
    }

    private final String database;

    RollupStore(String database) {
        this.database = database;
    }

    /** How far the job's minutes are final, and the watermark that made them so. */
    record Progress(Instant watermark, Instant finalUntil) {}

    /** The job's newest progress in {@code stream_progress}, once it said how far its minutes are final. */
    Optional<Progress> progress(Connection connection, String job) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT toUnixTimestamp64Milli(watermark),"
                + " toUnixTimestamp64Milli(assumeNotNull(final_until)) FROM " + database + ".stream_progress FINAL"
                + " WHERE job = ? AND final_until IS NOT NULL ORDER BY watermark DESC LIMIT 1")) {
            select.setString(1, job);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next()
                        ? Optional.of(new Progress(Instant.ofEpochMilli(rows.getLong(1)), Instant.ofEpochMilli(rows.getLong(2))))
                        : Optional.empty();
            }
        }
    }

    /** Where the rollup reaches: every period starting before it is rolled up. */
    Optional<Instant> through(Connection connection, Level level) throws SQLException {
        return instant(connection, "SELECT toUnixTimestamp(through) FROM " + database
                + ".rollup_progress FINAL WHERE rollup_table = ? ORDER BY through DESC LIMIT 1", level.table);
    }

    /** The earliest stored minute, where rolling up starts when nothing was rolled up yet. */
    Optional<Instant> firstMinute(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT toUnixTimestamp(min(minute)), count()"
                + " FROM " + database + ".latency_minute"); ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getLong(2) == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(rows.getLong(1)));
        }
    }

    /**
     * Sums the finer table's rows of [from, to), read with FINAL, into one row per service, operation and
     * period. The token is the range and version, so an insert retried after an unknown outcome is dropped,
     * and a row that lands twice anyway (a crash before {@link #record}) collapses under FINAL into the same sums.
     */
    void roll(Connection connection, Level level, Instant from, Instant to, long version) throws SQLException {
        String token = level.table + "-" + from.getEpochSecond() + "-" + to.getEpochSecond() + "-" + version;
        String sql = "INSERT INTO " + database + "." + level.table
                + " (service, operation, " + level.column + ", count, errors, sum_ms, buckets, version)"
                + " SETTINGS insert_deduplication_token = '" + token + "'"
                + " SELECT service, operation, " + level.truncate + "(" + level.sourceColumn + ") AS period,"
                + " sum(count), sum(errors), sum(sum_ms), sumMap(buckets), toUInt64(?)"
                + " FROM " + database + "." + level.source + " FINAL"
                + " WHERE " + level.sourceColumn + " >= toDateTime(?, 'UTC') AND " + level.sourceColumn
                + " < toDateTime(?, 'UTC')"
                + " GROUP BY service, operation, period";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, version);
            insert.setLong(2, from.getEpochSecond());
            insert.setLong(3, to.getEpochSecond());
            insert.executeUpdate();
        }
    }

    /** Records that the rollup reaches {@code through}; written after the rows it covers. */
    void record(Connection connection, Level level, Instant through, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + database
                + ".rollup_progress (rollup_table, through, updated_at) VALUES (?, ?, ?)")) {
            insert.setString(1, level.table);
            insert.setObject(2, LocalDateTime.ofInstant(through, ZoneOffset.UTC));
            insert.setObject(3, now);
            insert.executeUpdate();
        }
    }

    private static Optional<Instant> instant(Connection connection, String sql, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, key);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(Instant.ofEpochSecond(rows.getLong(1)));
            }
        }
    }
}
