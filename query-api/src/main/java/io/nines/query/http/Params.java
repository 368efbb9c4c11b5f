package io.nines.query.http;

import io.javalin.http.Context;
import io.nines.query.latency.InvalidQueryException;
import io.nines.query.latency.TimeRange;
import io.nines.query.paging.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns query-string text into values, naming the parameter and the rule when the text is wrong. */
final class Params {

    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    /** The longest duration a parameter may name: ten years, longer than any SLO window or range. */
    static final Duration MAX_DURATION = Duration.ofDays(3660);

    private static final Pattern EPOCH_MILLIS = Pattern.compile("[0-9]{1,15}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h|d)?");
    private static final int MAX_ECHO = 40;

    private Params() {}

    /** {@code to} defaults to now and {@code from} to one hour before {@code to}. */
    static TimeRange range(String from, String to, InstantSource clock) {
        Instant end = present(to) ? instant("to", to) : clock.instant();
        Instant start = present(from) ? instant("from", from) : end.minus(DEFAULT_RANGE);
        return new TimeRange(start, end);
    }

    /** RFC 3339 with an offset, or milliseconds since the epoch. */
    static Instant instant(String parameter, String raw) {
        String text = raw.strip();
        if (EPOCH_MILLIS.matcher(text).matches()) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(parameter, parameter + " must be an RFC 3339 time such as"
                    + " 2026-01-31T12:00:00Z or epoch milliseconds, was '" + echo(raw) + "'");
        }
    }

    /** Milliseconds, or a number with a unit: {@code 300000}, {@code 5m}, {@code 1h}. */
    static Duration duration(String parameter, String raw) {
        Matcher matcher = DURATION.matcher(raw.strip());
        if (!matcher.matches()) {
            throw new InvalidQueryException(parameter, parameter + " must be milliseconds or a duration such as 5m"
                    + " or 1h, was '" + echo(raw) + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "ms" : matcher.group(2);
        Duration one = switch (unit) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        // Bounded per unit before multiplying: 999999999999d is a valid Duration whose toMillis() overflows.
        long max = MAX_DURATION.dividedBy(one);
        if (amount > max) {
            throw new InvalidQueryException(parameter, parameter + " must be at most " + max + unit + " ("
                    + MAX_DURATION.toDays() + " days), was '" + echo(raw) + "'");
        }
        return one.multipliedBy(amount);
    }

    /** A whole number such as {@code 30}. */
    static int integer(String parameter, String raw) {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(parameter, parameter + " must be an integer, was '" + echo(raw) + "'");
        }
    }

    /** {@code limit} (1..{@code maxLimit}, default 100) and {@code cursor}, as every list reads them. */
    static PageRequest page(Context ctx, int maxLimit) {
        return PageRequest.parse(ctx.queryParam("limit"), ctx.queryParam("cursor"), maxLimit);
    }

    static PageRequest page(Context ctx) {
        return page(ctx, PageRequest.MAX_LIMIT);
    }

    static Optional<String> optional(String raw) {
        return present(raw) ? Optional.of(raw) : Optional.empty();
    }

    static boolean present(String raw) {
        return raw != null && !raw.isBlank();
    }

    /** Caller text quoted back in an error, cut short so a huge parameter does not make a huge answer. */
    static String echo(String raw) {
        return raw.length() <= MAX_ECHO ? raw : raw.substring(0, MAX_ECHO) + "...";
    }
}
