package io.nines.query.auth;

import io.nines.query.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code api_tokens}: one row per token id; FINAL keeps the newest version, which says whether it was revoked. */
final class TokenRepository {

    private static final String COLUMNS = "id, name, team, role, toUnixTimestamp64Milli(created_at), created_by";

    private final Sql sql;
    private final String table;

    TokenRepository(Sql sql) {
        this.sql = sql;
        this.table = sql.table("api_tokens");
    }

    /** The live token with this hash. */
    Optional<ApiToken> byHash(String hash) {
        return sql.query("SELECT " + COLUMNS + " FROM " + table + " FINAL WHERE hash = ? AND revoked = 0 LIMIT 1",
                List.of(hash), TokenRepository::token).stream().findFirst();
    }

    Optional<ApiToken> byId(String id) {
        return sql.query("SELECT " + COLUMNS + " FROM " + table + " FINAL WHERE id = ? AND revoked = 0",
                List.of(id), TokenRepository::token).stream().findFirst();
    }

    /** Live tokens by id after {@code after}. */
    List<ApiToken> list(Optional<String> after, int limit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder query = new StringBuilder("SELECT " + COLUMNS + " FROM " + table + " FINAL WHERE revoked = 0");
        after.ifPresent(id -> {
            query.append(" AND id > ?");
            parameters.add(id);
        });
        query.append(" ORDER BY id LIMIT ?");
        parameters.add(limit);
        return sql.query(query.toString(), parameters, TokenRepository::token);
    }

    void insert(ApiToken token, String hash) {
        write(token, hash, false, 1);
    }

    /** Replaces the live row: version 2 wins over 1 in the ReplacingMergeTree. */
    void revoke(ApiToken token) {
        write(token, "", true, 2);
    }

    private void write(ApiToken token, String hash, boolean revoked, long version) {
        sql.update("INSERT INTO " + table + " (id, hash, name, team, role, created_at, created_by, revoked, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", List.of(token.id(), hash, token.name(), token.team(),
                token.role().label(), LocalDateTime.ofInstant(token.createdAt(), ZoneOffset.UTC), token.createdBy(),
                revoked ? 1 : 0, version));
    }

    private static ApiToken token(ResultSet rows) throws SQLException {
        return new ApiToken(rows.getString(1), rows.getString(2), rows.getString(3), Role.parse(rows.getString(4)),
                Instant.ofEpochMilli(rows.getLong(5)), rows.getString(6));
    }
}
