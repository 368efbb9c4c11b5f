package io.nines.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.nines.query.alerting.TargetService;
import io.nines.query.alerting.TargetVersion;
import io.nines.query.paging.Page;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/notification-targets...}: OpenSLO AlertNotificationTargets in (YAML or JSON); out, the same
 * documents with every secret replaced by {@code ***} and URLs cut to their host.
 */
final class TargetHandlers {

    private static final String WHAT = "a notification target";

    record Target(String name, String team, String target, String description, long version, String changedAt,
            String changedBy, Object document) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TargetList(List<Target> notificationTargets, String nextCursor) {}

    /** The request body's shape, for the OpenAPI document: an OpenSLO v1 AlertNotificationTarget. */
    record TargetDocument(@JsonProperty(required = true) String apiVersion, @JsonProperty(required = true) String kind,
            @JsonProperty(required = true) SloHandlers.Metadata metadata,
            @JsonProperty(required = true) TargetSpec spec) {}

    /** {@code target}: pagerduty, slack or webhook; {@code nines}: url, routingKey, severities, headers. */
    record TargetSpec(@JsonProperty(required = true) String target, String description,
            @JsonProperty(required = true) Map<String, Object> nines) {}

    private final TargetService targets;

    TargetHandlers(TargetService targets) {
        this.targets = targets;
    }

    void create(Context ctx) {
        List<TargetVersion> created = targets.create(Callers.actor(ctx), Bodies.text(ctx, Bodies.DOCUMENT_TYPES,
                WHAT));
        if (created.size() == 1) {
            ctx.header("Location", "/api/v1/notification-targets/" + created.get(0).target().name());
        }
        ctx.status(HttpStatus.CREATED).json(new TargetList(created.stream().map(TargetHandlers::view).toList(), null));
    }

    void list(Context ctx) {
        Page<TargetVersion> page = targets.list(Params.optional(ctx.queryParam("team")), Params.page(ctx));
        Answers.json(ctx, new TargetList(page.items().stream().map(TargetHandlers::view).toList(), page.next()));
    }

    void get(Context ctx) {
        Answers.json(ctx, view(targets.require(ctx.pathParam("name"))));
    }

    void put(Context ctx) {
        TargetService.Written written = targets.put(Callers.actor(ctx), ctx.pathParam("name"),
                Bodies.text(ctx, Bodies.DOCUMENT_TYPES, WHAT));
        ctx.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK).json(view(written.version()));
    }

    void delete(Context ctx) {
        targets.delete(Callers.actor(ctx), ctx.pathParam("name"));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private static Target view(TargetVersion version) {
        return new Target(version.target().name(), version.target().team(), version.target().kind().label(),
                version.target().description(), version.version(), version.changedAt().toString(),
                version.changedBy(), version.redactedDocument());
    }
}
