package io.nines.query.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a list in a fixed order: at most {@code limit} items after the sort key that {@code cursor}
 * carries. The cursor is opaque to clients (base64url of the key's parts), and each list reads it back as the
 * values it binds in its keyset condition ({@code WHERE (k1, k2) > (?, ?)}), so a page costs the same wherever it
 * starts and rows added meanwhile neither repeat nor hide others.
 */
public record PageRequest(int limit, Optional<String> cursor) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    public PageRequest {
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidPageException("limit", "limit must be within [1, " + MAX_LIMIT + "], was " + limit);
        }
        cursor.ifPresent(PageRequest::decode);
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, Optional.empty());
    }

    /**
     * Reads {@code limit} and {@code cursor} as a client sent them, each refused with a message naming it.
     *
     * @param maxLimit the largest page this list serves, at most {@link #MAX_LIMIT}
     */
    public static PageRequest parse(String limit, String cursor, int maxLimit) {
        int size = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                size = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                size = 0;
            }
            if (size < 1 || size > maxLimit) {
                throw new InvalidPageException("limit", "limit must be an integer within [1, " + maxLimit
                        + "], was '" + echo(limit) + "'");
            }
        }
        return new PageRequest(size, cursor == null || cursor.isBlank() ? Optional.empty()
                : Optional.of(cursor.strip()));
    }

    /** How many rows to fetch: one more than the page, which tells whether there is a next page. */
    public int fetch() {
        return limit + 1;
    }

    /** The sort key the page starts after, with exactly {@code parts} parts; empty on the first page. */
    public Optional<Key> after(int parts) {
        return cursor.map(PageRequest::decode).map(key -> {
            if (key.size() != parts) {
                throw invalidCursor();
            }
            return new Key(key);
        });
    }

    /**
     * The page of {@code fetched} (what a query with {@link #fetch()} as its limit returned, in list order), with
     * a cursor after its last item when more followed.
     */
    public <T> Page<T> page(List<T> fetched, Function<T, List<String>> key) {
        List<T> items = fetched.size() > limit ? fetched.subList(0, limit) : fetched;
        Optional<String> next = fetched.size() > limit ? Optional.of(encode(key.apply(items.get(limit - 1))))
                : Optional.empty();
        return new Page<>(items, next);
    }

    /** The sort key of the last item of the previous page. */
    public record Key(List<String> parts) {

        public Key {
            parts = List.copyOf(parts);
        }

        public String text(int index) {
            return parts.get(index);
        }

        /** A numeric part; a cursor whose number does not read was not made by us. */
        public long number(int index) {
            try {
                return Long.parseLong(parts.get(index));
            } catch (NumberFormatException e) {
                throw invalidCursor();
            }
        }
    }

    static String encode(List<String> key) {
        ArrayNode array = JSON.createArrayNode();
        key.forEach(array::add);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(array.toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> decode(String cursor) {
        try {
            JsonNode array = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
            if (array == null || !array.isArray() || array.isEmpty()) {
                throw invalidCursor();
            }
            List<String> parts = new ArrayList<>();
            for (JsonNode part : array) {
                if (!part.isTextual()) {
                    throw invalidCursor();
                }
                parts.add(part.asText());
            }
            return parts;
        } catch (IllegalArgumentException | IOException e) {
            throw invalidCursor();
        }
    }

    private static InvalidPageException invalidCursor() {
        return new InvalidPageException("cursor", "cursor must be the nextCursor of a previous page of this list");
    }

    private static String echo(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
