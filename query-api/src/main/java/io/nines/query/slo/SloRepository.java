package io.nines.query.slo;

import io.nines.query.storage.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code slo_definitions}: every version of every SLO. A version is current once a row for it says
 * {@code published = 1}; FINAL lets that row replace the unpublished one written before Kafka was asked.
 *
 * <p>A version number is claimed before anything else happens to it: the unpublished row goes in with an
 * {@code insert_deduplication_token} made of the name and version only, so when two processes pick the same number
 * ClickHouse keeps the first insert and drops the second; each reads back whose {@code claim} the row holds.
 */
final class SloRepository {

    /** One stored version as written. */
    record Row(String name, String team, String service, long version, String document, boolean deleted,
            Instant changedAt, String changedBy) {}

    private static final String COLUMNS = "name, team, service, version, document, deleted,"
            + " toUnixTimestamp64Milli(changed_at), changed_by";

    private static final String ABANDONED = "abandoned:";

    private final Sql sql;
    private final String table;

    SloRepository(Sql sql) {
        this.sql = sql;
        this.table = sql.table("slo_definitions");
    }

    /** The highest version ever written, published or not, so a failed publish never reuses its number. */
    long lastVersion(String name) {
        return sql.query("SELECT max(version) FROM " + table + " WHERE name = ?", List.of(name),
                rows -> rows.getLong(1)).get(0);
    }

    /** The newest published version, which may be a deletion. */
    Optional<Row> latest(String name) {
        return sql.query("SELECT " + COLUMNS + " FROM " + table + " FINAL WHERE name = ? AND published = 1"
                + " ORDER BY version DESC LIMIT 1", List.of(name), SloRepository::row).stream().findFirst();
    }

    /**
     * For each name of {@code names} whose current incarnation follows a deletion: when that incarnation was
     * created (the first published version after the newest published deletion). Names never deleted, or
     * deleted now, are absent.
     */
    Map<String, Instant> recreatedAt(Collection<String> names) {
        Map<String, Instant> result = new HashMap<>();
        if (names.isEmpty()) {
            return result;
        }
        String marks = String.join(", ", Collections.nCopies(names.size(), "?"));
        sql.query("SELECT name, toUnixTimestamp64Milli(min(changed_at)) FROM (SELECT name, version, changed_at,"
                + " max(if(deleted = 1, version, 0)) OVER (PARTITION BY name) AS last_deletion FROM " + table
                + " FINAL WHERE published = 1 AND name IN (" + marks + ")) WHERE last_deletion > 0"
                + " AND version > last_deletion GROUP BY name", List.copyOf(names),
                rows -> result.put(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2))));
        return result;
    }

    /** Published versions after {@code after}, oldest first. */
    List<Row> versions(String name, Optional<Long> after, int limit) {
        return sql.query("SELECT " + COLUMNS + " FROM " + table + " FINAL WHERE name = ? AND published = 1"
                + " AND version > ? ORDER BY version LIMIT ?", List.of(name, after.orElse(0L), limit),
                SloRepository::row);
    }

    /** Current (not deleted) SLOs by name after {@code after}, filtered by team and service. */
    List<Row> list(Optional<String> team, Optional<String> service, Optional<String> after, int limit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder query = new StringBuilder("SELECT " + COLUMNS + " FROM (SELECT * FROM " + table
                + " FINAL WHERE published = 1");
        after.ifPresent(name -> {
            query.append(" AND name > ?");
            parameters.add(name);
        });
        query.append(" ORDER BY name, version DESC LIMIT 1 BY name) WHERE deleted = 0");
        team.ifPresent(t -> {
            query.append(" AND team = ?");
            parameters.add(t);
        });
        service.ifPresent(s -> {
            query.append(" AND service = ?");
            parameters.add(s);
        });
        query.append(" ORDER BY name LIMIT ?");
        parameters.add(limit);
        return sql.query(query.toString(), parameters, SloRepository::row);
    }

    /**
     * Writes {@code row} unpublished under {@code claim} (a writer's random id), unless another writer wrote that
     * version first.
     *
     * @return whether the version is this writer's: false when another claim holds it
     */
    boolean claim(Row row, String claim) {
        // Hex digits only, so safe to inline: a SETTINGS clause takes no bound parameters.
        insert(row, claim, false, " SETTINGS insert_deduplication_token = '" + token(row) + "'");
        List<String> holders = sql.query("SELECT claim FROM " + table + " FINAL WHERE name = ? AND version = ?",
                List.of(row.name(), row.version()), rows -> rows.getString(1));
        return holders.equals(List.of(claim));
    }

    /**
     * Whether a version above {@code base} and below {@code version} is published, or claimed after
     * {@code liveAfter} and neither published nor abandoned yet (a change another writer may still publish).
     * Older unpublished versions are numbers burnt by a failed publish.
     */
    boolean changedBetween(String name, long base, long version, Instant liveAfter) {
        return sql.query("SELECT count() FROM " + table + " FINAL WHERE name = ? AND version > ? AND version < ?"
                + " AND (published = 1 OR (claim NOT LIKE 'abandoned:%' AND toUnixTimestamp64Milli(changed_at) >= ?))",
                List.of(name, base, version, liveAfter.toEpochMilli()), rows -> rows.getLong(1))
                .get(0) > 0;
    }

    /** Gives a claimed version up: it will never be published, so it holds no other writer back. */
    void abandon(Row row, String claim) {
        // Same published = 0 as the claim: FINAL keeps the row inserted last.
        insert(row, ABANDONED + claim, false, "");
    }

    /** Marks the claimed version published: this row replaces the unpublished one. */
    void publish(Row row, String claim) {
        insert(row, claim, true, "");
    }

    private void insert(Row row, String claim, boolean published, String settings) {
        sql.update("INSERT INTO " + table + " (name, team, service, version, document, deleted, published,"
                + " changed_at, changed_by, claim)" + settings + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                List.of(row.name(), row.team(), row.service(), row.version(), row.document(), row.deleted() ? 1 : 0,
                        published ? 1 : 0, LocalDateTime.ofInstant(row.changedAt(), ZoneOffset.UTC),
                        row.changedBy(), claim));
    }

    /** The same for every writer of one version, and for no other version. */
    private static String token(Row row) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("slo_definitions claim\n" + row.name()
                    + "\n" + row.version()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Row row(ResultSet rows) throws SQLException {
        return new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4), rows.getString(5),
                rows.getInt(6) == 1, Instant.ofEpochMilli(rows.getLong(7)), rows.getString(8));
    }
}
