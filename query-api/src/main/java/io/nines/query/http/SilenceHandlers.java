package io.nines.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.nines.query.alerting.InvalidRequestException;
import io.nines.query.alerting.Silence;
import io.nines.query.alerting.SilenceService;
import io.nines.query.paging.Page;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/silences...}: silences and maintenance windows in and out as JSON. */
final class SilenceHandlers {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Weekly(List<String> days, String from, String to, String timeZone) {}

    /** The request body's shape, for the OpenAPI document; {@code SilenceRequests} reads it. */
    record SilenceRequest(String kind, Match match, String startsAt, String endsAt, Weekly weekly,
            Boolean excludeFromBudget, String comment) {}

    /** What a silence mutes: alerts of this SLO, service and team (an editor's own team). */
    record Match(String slo, String service, String team) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SilenceView(String id, String kind, String state, String team, Map<String, String> match,
            String startsAt, String endsAt, Weekly weekly, boolean excludeFromBudget, String comment,
            String createdAt, String createdBy, String expiredAt) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SilenceList(List<SilenceView> silences, String nextCursor) {}

    private final SilenceService silences;
    private final InstantSource clock;

    SilenceHandlers(SilenceService silences, InstantSource clock) {
        this.silences = silences;
        this.clock = clock;
    }

    void create(Context ctx) {
        Silence silence = silences.create(Callers.actor(ctx), Bodies.text(ctx, Bodies.JSON, "a silence"));
        ctx.header("Location", "/api/v1/silences/" + silence.id());
        ctx.status(HttpStatus.CREATED).json(view(silence, clock.instant()));
    }

    void list(Context ctx) {
        String state = ctx.queryParamAsClass("state", String.class).getOrDefault("active");
        if (!state.equals("active") && !state.equals("all")) {
            throw new InvalidRequestException("state", "must be active or all, was '" + Params.echo(state) + "'");
        }
        Instant now = clock.instant();
        Page<Silence> page = silences.list(state.equals("all"), Params.optional(ctx.queryParam("team")),
                Params.page(ctx));
        Answers.json(ctx, new SilenceList(page.items().stream().map(s -> view(s, now)).toList(), page.next()));
    }

    void expire(Context ctx) {
        silences.expire(Callers.actor(ctx), ctx.pathParam("id"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private static SilenceView view(Silence s, Instant now) {
        Map<String, String> match = new java.util.LinkedHashMap<>();
        s.match().slo().ifPresent(v -> match.put("slo", v));
        s.match().service().ifPresent(v -> match.put("service", v));
        s.match().team().ifPresent(v -> match.put("team", v));
        String state = s.over(now) ? "expired" : now.isBefore(s.startsAt()) ? "pending" : "active";
        return new SilenceView(s.id(), s.kind().label(), state, s.team().orElse(null), match,
                s.startsAt().toString(), s.endsAt().map(Instant::toString).orElse(null),
                s.weekly().map(w -> new Weekly(w.days().stream().map(d -> d.name().substring(0, 3)).toList(),
                        w.from().toString(), w.to().toString(), w.zone().getId())).orElse(null),
                s.excludeFromBudget(), s.comment(), s.createdAt().toString(), s.createdBy(),
                s.expiredAt().map(Instant::toString).orElse(null));
    }
}
