package io.nines.query.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.core.slo.InvalidSloException;
import io.nines.query.slo.NotYourTeamException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a silence from its JSON body, naming the field of every broken rule:
 * <pre>
 * {"kind":"silence|maintenance", "match":{"slo":..,"service":..,"team":..},
 *  "startsAt":"RFC 3339" (default now), "endsAt":"RFC 3339" (required unless weekly),
 *  "weekly":{"days":["SAT","SUN"],"from":"02:00","to":"04:00","timeZone":"Europe/Berlin"},
 *  "excludeFromBudget":false, "comment":".."}
 * </pre>
 * An editor's silence is limited to the editor's team; an admin's to {@code match.team} if given.
 */
final class SilenceRequests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern SERVICE = Pattern.compile("[^\\p{Cntrl}]{1,256}");
    private static final int MAX_COMMENT = 1000;

    private SilenceRequests() {}

    /** The fields of a silence as requested, before it has an id. */
    record Request(Optional<String> team, Silence.Kind kind, Silence.Match match, Instant startsAt,
            Optional<Instant> endsAt, Optional<Silence.Weekly> weekly, boolean excludeFromBudget, String comment) {}

    static Request read(String body, Optional<String> actorTeam, Instant now) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("(body)", "is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("(body)", "must be a JSON object");
        }
        List<InvalidSloException.Violation> violations = new ArrayList<>();
        Silence.Kind kind = switch (root.path("kind").asText("silence")) {
            case "silence" -> Silence.Kind.SILENCE;
            case "maintenance" -> Silence.Kind.MAINTENANCE;
            default -> {
                violations.add(violation("kind", "must be silence or maintenance, was '" + echo(root.path("kind")
                        .asText()) + "'"));
                yield Silence.Kind.SILENCE;
            }
        };
        JsonNode match = root.path("match");
        Optional<String> slo = text(match, "slo", "match.slo", NAME, violations);
        Optional<String> service = text(match, "service", "match.service", SERVICE, violations);
        Optional<String> team = text(match, "team", "match.team", NAME, violations);
        if (actorTeam.isPresent()) {
            // A well-formed request that the caller's team may not make: 403, as for every other team's object.
            if (team.isPresent() && !team.get().equals(actorTeam.get())) {
                throw new NotYourTeamException(actorTeam.get(), team.get(), "the silence");
            }
            team = actorTeam;
        }
        if (slo.isEmpty() && service.isEmpty() && team.isEmpty()) {
            violations.add(violation("match", "must name at least one of slo, service, team"));
        }
        Optional<Instant> startsAt = instant(root, "startsAt", violations);
        Optional<Instant> endsAt = instant(root, "endsAt", violations);
        Optional<Silence.Weekly> weekly = root.has("weekly") ? weekly(root.path("weekly"), violations) : Optional.empty();
        if (!root.has("weekly") && endsAt.isEmpty() && !root.has("endsAt")) {
            violations.add(violation("endsAt", "is required for a one-off silence (or give weekly)"));
        }
        Instant start = startsAt.orElse(now);
        if (endsAt.isPresent() && !endsAt.get().isAfter(start)) {
            violations.add(violation("endsAt", "must be after startsAt"));
        }
        boolean exclude = root.path("excludeFromBudget").asBoolean(false);
        if (root.has("excludeFromBudget") && !root.path("excludeFromBudget").isBoolean()) {
            violations.add(violation("excludeFromBudget", "must be true or false"));
        }
        if (exclude && kind != Silence.Kind.MAINTENANCE) {
            violations.add(violation("excludeFromBudget", "needs kind maintenance"));
        }
        String comment = root.path("comment").asText("");
        if (root.has("comment") && !root.path("comment").isTextual()) {
            violations.add(violation("comment", "must be text"));
        } else if (comment.length() > MAX_COMMENT) {
            violations.add(violation("comment", "must be at most " + MAX_COMMENT + " characters"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new Request(team, kind, new Silence.Match(slo, service, team), start, endsAt, weekly, exclude, comment);
    }

    private static Optional<Silence.Weekly> weekly(JsonNode weekly, List<InvalidSloException.Violation> violations) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (!weekly.path("days").isArray() || weekly.path("days").isEmpty()) {
            violations.add(violation("weekly.days", "must list days such as [\"SAT\", \"SUN\"]"));
        }
        for (int i = 0; i < weekly.path("days").size(); i++) {
            String day = weekly.path("days").get(i).asText().toUpperCase(Locale.ROOT);
            Optional<DayOfWeek> parsed = java.util.Arrays.stream(DayOfWeek.values())
                    .filter(d -> d.name().startsWith(day) && day.length() >= 3).findFirst();
            String path = "weekly.days[" + i + "]";
            parsed.ifPresentOrElse(days::add, () -> violations.add(violation(path,
                    "must be MON, TUE, WED, THU, FRI, SAT or SUN, was '" + echo(day) + "'")));
        }
        Optional<LocalTime> from = parse(weekly, "from", "weekly.from", LocalTime::parse, "a time such as 22:00",
                violations);
        Optional<LocalTime> to = parse(weekly, "to", "weekly.to", LocalTime::parse, "a time such as 23:30",
                violations);
        Optional<ZoneId> zone = parse(weekly, "timeZone", "weekly.timeZone", ZoneId::of,
                "an IANA time zone such as Europe/Berlin", violations);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            violations.add(violation("weekly.to", "must be after from (a window within one day)"));
            return Optional.empty();
        }
        if (days.isEmpty() || from.isEmpty() || to.isEmpty() || zone.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Silence.Weekly(days, from.get(), to.get(), zone.get()));
    }

    private static <T> Optional<T> parse(JsonNode node, String field, String path, Function<String, T> parser,
            String expected, List<InvalidSloException.Violation> violations) {
        if (!node.path(field).isTextual()) {
            violations.add(violation(path, "is required: " + expected));
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(node.path(field).asText()));
        } catch (DateTimeException e) {
            violations.add(violation(path, "must be " + expected + ", was '" + echo(node.path(field).asText()) + "'"));
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(JsonNode root, String field, List<InvalidSloException.Violation> violations) {
        if (!root.has(field)) {
            return Optional.empty();
        }
        return parse(root, field, field, text -> OffsetDateTime.parse(text).toInstant(),
                "an RFC 3339 time such as 2026-03-15T12:00:00Z", violations);
    }

    private static Optional<String> text(JsonNode node, String field, String path, Pattern pattern,
            List<InvalidSloException.Violation> violations) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || !pattern.matcher(value.asText()).matches()) {
            violations.add(violation(path, "must be a name (lowercase letters, digits, '-'), was '"
                    + echo(value.asText()) + "'"));
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }

    private static InvalidSloException.Violation violation(String path, String rule) {
        return new InvalidSloException.Violation(path, rule);
    }

    private static String echo(String raw) {
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
