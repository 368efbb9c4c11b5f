package io.nines.query.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nines.query.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code silences}: one row per silence id, its newest version (FINAL) current; the spec kept as JSON. */
final class SilenceRepository {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sql sql;
    private final String table;

    SilenceRepository(Sql sql) {
        this.sql = sql;
        this.table = sql.table("silences");
    }

    /** Every silence; they are few, and matching one is cheaper in Java than in SQL. */
    List<Silence> all() {
        return sql.query("SELECT id, team, kind, spec, toUnixTimestamp64Milli(created_at), created_by,"
                + " toUnixTimestamp64Milli(expired_at), version FROM " + table + " FINAL ORDER BY created_at, id",
                List.of(), SilenceRepository::silence);
    }

    /**
     * Silences newest first (ties by id) after the silence created at {@code afterCreated} with id {@code afterId},
     * of one team or all.
     */
    List<Silence> page(Optional<String> team, Optional<Instant> afterCreated, String afterId, int limit) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder query = new StringBuilder("SELECT id, team, kind, spec, toUnixTimestamp64Milli(created_at),"
                + " created_by, toUnixTimestamp64Milli(expired_at), version FROM " + table + " FINAL WHERE 1 = 1");
        team.ifPresent(t -> {
            query.append(" AND team = ?");
            parameters.add(t);
        });
        afterCreated.ifPresent(created -> {
            query.append(" AND (toUnixTimestamp64Milli(created_at) < ? OR (toUnixTimestamp64Milli(created_at) = ?"
                    + " AND id > ?))");
            parameters.addAll(List.of(created.toEpochMilli(), created.toEpochMilli(), afterId));
        });
        query.append(" ORDER BY created_at DESC, id LIMIT ?");
        parameters.add(limit);
        return sql.query(query.toString(), parameters, SilenceRepository::silence);
    }

    Optional<Silence> find(String id) {
        return sql.query("SELECT id, team, kind, spec, toUnixTimestamp64Milli(created_at), created_by,"
                + " toUnixTimestamp64Milli(expired_at), version FROM " + table + " FINAL WHERE id = ?",
                List.of(id), SilenceRepository::silence).stream().findFirst();
    }

    void insert(Silence silence, long version) {
        List<Object> values = new ArrayList<>(List.of(silence.id(), silence.team().orElse(""), silence.kind().label(),
                spec(silence), utc(silence.createdAt()), silence.createdBy()));
        values.add(silence.expiredAt().map(SilenceRepository::utc).orElse(null));
        values.add(version);
        sql.update("INSERT INTO " + table + " (id, team, kind, spec, created_at, created_by, expired_at, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values);
    }

    private static String spec(Silence silence) {
        ObjectNode spec = JSON.createObjectNode();
        ObjectNode match = spec.putObject("match");
        silence.match().slo().ifPresent(v -> match.put("slo", v));
        silence.match().service().ifPresent(v -> match.put("service", v));
        silence.match().team().ifPresent(v -> match.put("team", v));
        spec.put("startsAt", silence.startsAt().toEpochMilli());
        silence.endsAt().ifPresent(v -> spec.put("endsAt", v.toEpochMilli()));
        silence.weekly().ifPresent(w -> {
            ObjectNode weekly = spec.putObject("weekly");
            ArrayNode days = weekly.putArray("days");
            w.days().forEach(d -> days.add(d.name()));
            weekly.put("from", w.from().toString());
            weekly.put("to", w.to().toString());
            weekly.put("timeZone", w.zone().getId());
        });
        spec.put("excludeFromBudget", silence.excludeFromBudget());
        spec.put("comment", silence.comment());
        return spec.toString();
    }

    private static Silence silence(ResultSet rows) throws SQLException {
        JsonNode spec;
        try {
            spec = JSON.readTree(rows.getString(4));
        } catch (JsonProcessingException e) {
            throw new SQLException("stored silence spec is not JSON", e);
        }
        JsonNode match = spec.path("match");
        Optional<Silence.Weekly> weekly = Optional.empty();
        if (spec.has("weekly")) {
            JsonNode w = spec.path("weekly");
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            w.path("days").forEach(d -> days.add(DayOfWeek.valueOf(d.asText())));
            weekly = Optional.of(new Silence.Weekly(days, LocalTime.parse(w.path("from").asText()),
                    LocalTime.parse(w.path("to").asText()), ZoneId.of(w.path("timeZone").asText())));
        }
        long expired = rows.getLong(7);
        boolean noExpiry = rows.wasNull();
        String team = rows.getString(2);
        return new Silence(rows.getString(1), team.isEmpty() ? Optional.empty() : Optional.of(team),
                Silence.Kind.valueOf(rows.getString(3).toUpperCase(java.util.Locale.ROOT)),
                new Silence.Match(optional(match, "slo"), optional(match, "service"), optional(match, "team")),
                Instant.ofEpochMilli(spec.path("startsAt").asLong()),
                spec.has("endsAt") ? Optional.of(Instant.ofEpochMilli(spec.path("endsAt").asLong())) : Optional.empty(),
                weekly, spec.path("excludeFromBudget").asBoolean(), spec.path("comment").asText(""),
                Instant.ofEpochMilli(rows.getLong(5)), rows.getString(6),
                noExpiry ? Optional.empty() : Optional.of(Instant.ofEpochMilli(expired)));
    }

    private static Optional<String> optional(JsonNode node, String field) {
        return node.has(field) ? Optional.of(node.path(field).asText()) : Optional.empty();
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
