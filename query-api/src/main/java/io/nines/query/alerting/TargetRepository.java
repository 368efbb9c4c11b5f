package io.nines.query.alerting;

import io.nines.query.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code notification_targets}: every version of every target; the newest version of a name is current. */
final class TargetRepository {

    /** One stored version. */
    record Row(String name, String team, String kind, long version, String document, boolean deleted,
            Instant changedAt, String changedBy) {}

    private static final String COLUMNS = "name, team, kind, version, document, deleted,"
            + " toUnixTimestamp64Milli(changed_at), changed_by";

    private final Sql sql;
    private final String table;

    TargetRepository(Sql sql) {
        this.sql = sql;
        this.table = sql.table("notification_targets");
    }

    long lastVersion(String name) {
        return sql.query("SELECT max(version) FROM " + table + " WHERE name = ?", List.of(name),
                rows -> rows.getLong(1)).get(0);
    }

    /** The newest version, which may be a deletion. */
    Optional<Row> latest(String name) {
        return sql.query("SELECT " + COLUMNS + " FROM " + table + " FINAL WHERE name = ? ORDER BY version DESC"
                + " LIMIT 1", List.of(name), TargetRepository::row).stream().findFirst();
    }

    /** Current targets by name after {@code after}, of one team or all. */
    List<Row> list(Optional<String> team, Optional<String> after, int limit) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(after.orElse(""));
        StringBuilder query = new StringBuilder("SELECT " + COLUMNS + " FROM (SELECT * FROM " + table
                + " FINAL WHERE name > ? ORDER BY name, version DESC LIMIT 1 BY name) WHERE deleted = 0");
        team.ifPresent(t -> {
            query.append(" AND team = ?");
            parameters.add(t);
        });
        query.append(" ORDER BY name LIMIT ?");
        parameters.add(limit);
        return sql.query(query.toString(), parameters, TargetRepository::row);
    }

    void insert(Row row) {
        sql.update("INSERT INTO " + table + " (name, team, kind, version, document, deleted, changed_at, changed_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", List.of(row.name(), row.team(), row.kind(), row.version(),
                row.document(), row.deleted() ? 1 : 0, LocalDateTime.ofInstant(row.changedAt(), ZoneOffset.UTC),
                row.changedBy()));
    }

    private static Row row(ResultSet rows) throws SQLException {
        return new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4), rows.getString(5),
                rows.getInt(6) == 1, Instant.ofEpochMilli(rows.getLong(7)), rows.getString(8));
    }
}
