package io.nines.query.slo;

import io.nines.query.latency.InvalidQueryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A page of the SLO list, by name: {@code cursor} is the opaque token the previous page ended with.
 */
public record SloListQuery(Optional<String> team, Optional<String> service, int limit, Optional<String> cursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public SloListQuery {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "limit must be within [1, " + MAX_LIMIT + "], was " + limit);
        }
        cursor.ifPresent(SloListQuery::afterName);
    }

    /** The name the page starts after. */
    Optional<String> after() {
        return cursor.map(SloListQuery::afterName);
    }

    public static String cursorAfter(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String afterName(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("cursor", "cursor must be the nextCursor of a previous page");
        }
    }
}
