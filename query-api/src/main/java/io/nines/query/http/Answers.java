package io.nines.query.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.nines.query.latency.TimeRange;
import io.nines.query.resilience.StaleCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * JSON answers with validators: the {@code ETag} is a hash of the body, so equal answers share it however they
 * were computed, and a matching {@code If-None-Match} gets 304 without a body. Cached answers also say where they
 * came from ({@code Cache-Status}, RFC 9211) and how old they are ({@code Age}).
 */
final class Answers {

    private static final String CACHE_NAME = "nines-api";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {}

    /**
     * A range whose end lies within this of now is taken as relative ("the last hour"): clients compute
     * {@code to} from their own clocks, which may be a little off.
     */
    static final Duration RELATIVE_SLACK = Duration.ofMinutes(5);

    /**
     * What identifies a cached read: the path and the query parameters, in order; for the shape of a relative
     * range, {@code lastMinutes} stands for {@code from} and {@code to} (0 for an exact key).
     */
    record ReadKey(String path, Map<String, List<String>> query, long lastMinutes) {
        static ReadKey of(Context ctx) {
            return new ReadKey(ctx.path(), new TreeMap<>(ctx.queryParamMap()), 0);
        }

        /**
         * The shape of a read over {@code range}: when the range ends now, its length (in whole minutes, the
         * data's resolution) instead of its ends, so that the requests of a dashboard that moves the range with
         * the clock share their last good answer; otherwise the exact key, so that a fixed range in the past is
         * never answered with another one.
         */
        static ReadKey shape(Context ctx, TimeRange range, InstantSource clock) {
            if (Duration.between(range.to(), clock.instant()).abs().compareTo(RELATIVE_SLACK) > 0) {
                return of(ctx);
            }
            Map<String, List<String>> rest = new TreeMap<>(ctx.queryParamMap());
            rest.remove("from");
            rest.remove("to");
            long minutes = Math.max(1, Math.round(Duration.between(range.from(), range.to()).toMillis() / 60_000.0));
            return new ReadKey(ctx.path(), rest, minutes);
        }
    }

    /** What an answer weighs in a cache: the bytes of its JSON body. */
    static int bytes(Object answer) {
        try {
            return JSON.writeValueAsBytes(answer).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("our own answer did not serialise", e);
        }
    }

    static void json(Context ctx, Object body) {
        String text = ctx.jsonMapper().toJsonString(body, body.getClass());
        withEtag(ctx, etag(text.getBytes(StandardCharsets.UTF_8)), () -> ctx.contentType("application/json")
                .result(text));
    }

    /** Any other body (Prometheus text, Swagger UI's files): the same validator, a hash of the bytes. */
    static void bytes(Context ctx, String contentType, byte[] body) {
        withEtag(ctx, etag(body), () -> ctx.contentType(contentType).result(body));
    }

    static void text(Context ctx, String contentType, String body) {
        bytes(ctx, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A body with fields that move with the clock ({@code asOf}, {@code exhaustion}) gets a weak ETag over the
     * rest: two answers that differ only in when they were computed are semantically the same (RFC 9110 8.8.1).
     */
    static void json(Context ctx, Object body, Set<String> clockFields) {
        String text = ctx.jsonMapper().toJsonString(body, body.getClass());
        ObjectNode tree;
        try {
            tree = (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("our own JSON did not parse", e);
        }
        strip(tree, clockFields);
        withEtag(ctx, "W/" + etag(tree.toString().getBytes(StandardCharsets.UTF_8)),
                () -> ctx.contentType("application/json").result(text));
    }

    /** Removes the clock fields wherever they are: a page of statuses holds one {@code asOf} per status. */
    private static void strip(JsonNode node, Set<String> clockFields) {
        if (node instanceof ObjectNode object) {
            object.remove(clockFields);
        }
        node.forEach(child -> strip(child, clockFields));
    }

    /** Answers 304 when the client holds {@code etag}, else runs {@code write}. */
    static void withEtag(Context ctx, String etag, Runnable write) {
        ctx.header("ETag", etag);
        if (matches(ctx.header("If-None-Match"), etag)) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        write.run();
    }

    static void cacheHeaders(Context ctx, StaleCache.Answer<?> answer) {
        switch (answer.source()) {
            case STORE -> ctx.header("Cache-Status", CACHE_NAME + "; fwd=miss; stored");
            case FRESH_CACHE -> {
                ctx.header("Cache-Status", CACHE_NAME + "; hit");
                ctx.header("Age", Long.toString(answer.age().toSeconds()));
            }
            case STALE -> {
                ctx.header("Cache-Status", CACHE_NAME + "; hit; detail=\"storage-unavailable\"");
                ctx.header("Age", Long.toString(answer.age().toSeconds()));
            }
        }
    }

    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(Arrays.copyOf(digest, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            // If-None-Match compares weakly: W/"x" and "x" match each other.
            if (tag.equals("*") || opaque(tag).equals(opaque(etag))) {
                return true;
            }
        }
        return false;
    }
}
