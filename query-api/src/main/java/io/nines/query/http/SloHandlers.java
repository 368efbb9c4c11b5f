package io.nines.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.SloDefinition;
import io.nines.query.paging.Page;
import io.nines.query.slo.IfMatch;
import io.nines.query.slo.SloDocuments;
import io.nines.query.slo.SloListQuery;
import io.nines.query.slo.SloService;
import io.nines.query.slo.SloVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /api/v1/slos...}: OpenSLO documents in (YAML or JSON), stored versions out. */
final class SloHandlers {

    /** Largest request body: the OpenSLO reader's limit. */
    static final int MAX_BODY_BYTES = 1 << 20;
    static final String YAML = "application/yaml";
    /** A strong ETag of GET /slos/{name}: the version, for YAML with {@code -yaml}; at most 9 digits (UInt32). */
    private static final Pattern VERSION_TAG = Pattern.compile("\"([1-9][0-9]{0,8})(?:-yaml)?\"");

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Summary(String name, String team, String service, String displayName, double target, String window,
            String budgetingMethod, long version) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Detail(String name, String team, String service, String displayName, double target, String window,
            String budgetingMethod, long version, Boolean deleted, String changedAt, String changedBy,
            Object document) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ListResponse(List<Summary> slos, String nextCursor) {}

    record CreatedResponse(List<Detail> slos) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionsResponse(String name, List<Detail> versions, String nextCursor) {}

    /** The request body's shape, for the OpenAPI document: one OpenSLO v1 document (YAML may hold several). */
    record SloDocument(@JsonProperty(required = true) String apiVersion, @JsonProperty(required = true) String kind,
            @JsonProperty(required = true) Metadata metadata,
            @JsonProperty(required = true) Map<String, Object> spec) {}

    /** OpenSLO metadata: the name, and the owning team as {@code labels.team}. */
    record Metadata(@JsonProperty(required = true) String name, String displayName, Map<String, String> labels) {}

    private final SloService slos;

    SloHandlers(SloService slos) {
        this.slos = slos;
    }

    void create(Context ctx) {
        List<SloVersion> created = slos.create(Callers.actor(ctx), body(ctx));
        if (created.size() == 1) {
            ctx.header("Location", "/api/v1/slos/" + created.get(0).name());
        }
        ctx.status(HttpStatus.CREATED).json(new CreatedResponse(created.stream().map(v -> detail(v, false)).toList()));
    }

    void list(Context ctx) {
        Page<SloVersion> page = slos.list(new SloListQuery(Params.optional(ctx.queryParam("team")),
                Params.optional(ctx.queryParam("service")), Params.page(ctx)));
        Answers.json(ctx, new ListResponse(page.items().stream().map(SloHandlers::summary).toList(), page.next()));
    }

    void get(Context ctx) {
        SloVersion current = slos.require(ctx.pathParam("name"));
        // The version identifies the content, but the two representations differ, so the ETag says which.
        boolean yaml = wantsYaml(ctx.header("Accept"));
        ctx.header("Vary", "Accept");
        Answers.withEtag(ctx, "\"" + current.version() + (yaml ? "-yaml" : "") + "\"", () -> {
            if (yaml) {
                ctx.contentType(YAML).result(SloDocuments.toYaml(current.document()));
            } else {
                ctx.json(detail(current, false));
            }
        });
    }

    void put(Context ctx) {
        SloService.Written written = slos.put(Callers.actor(ctx), ctx.pathParam("name"), body(ctx),
                ifMatch(ctx.header("If-Match")));
        ctx.header("ETag", "\"" + written.version().version() + "\"");
        ctx.status(written.created() ? HttpStatus.CREATED : HttpStatus.OK).json(detail(written.version(), false));
    }

    void delete(Context ctx) {
        slos.delete(Callers.actor(ctx), ctx.pathParam("name"), ifMatch(ctx.header("If-Match")));
        ctx.status(HttpStatus.NO_CONTENT);
    }

    void versions(Context ctx) {
        String name = ctx.pathParam("name");
        Page<SloVersion> page = slos.versions(name, Params.page(ctx));
        Answers.json(ctx, new VersionsResponse(name, page.items().stream().map(v -> detail(v, true)).toList(),
                page.next()));
    }

    /** The body as UTF-8 text; text that is not UTF-8 is an invalid document, like any other broken rule. */
    private static String body(Context ctx) {
        return Bodies.utf8(Bodies.bytes(ctx, Bodies.DOCUMENT_TYPES, "an SLO", MAX_BODY_BYTES),
                () -> new InvalidSloException(List.of(new InvalidSloException.Violation("(document)",
                        "is not UTF-8 text"))));
    }

    /**
     * The versions an {@code If-Match} header names: {@code *}, or the ETags of GET /slos/{name} ({@code "3"} or
     * {@code "3-yaml"}, both version 3). If-Match compares strongly (RFC 9110), so weak tags and tags that are not
     * ours name no version, and a header of only those matches nothing.
     */
    static Optional<IfMatch> ifMatch(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        Set<Long> versions = new HashSet<>();
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return Optional.of(new IfMatch(true, Set.of()));
            }
            Matcher version = VERSION_TAG.matcher(tag);
            if (version.matches()) {
                versions.add(Long.parseLong(version.group(1)));
            }
        }
        return Optional.of(new IfMatch(false, versions));
    }

    /** YAML when the first YAML or JSON type the client lists is YAML; JSON otherwise. */
    private static boolean wantsYaml(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String type = range.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (type.endsWith("yaml")) {
                return true;
            }
            if (type.equals("application/json")) {
                return false;
            }
        }
        return false;
    }

    private static Summary summary(SloVersion version) {
        SloDefinition slo = version.definition();
        return new Summary(slo.name(), slo.team(), slo.service(), slo.displayName(), slo.target(), slo.window().label(),
                method(slo), version.version());
    }

    private static Detail detail(SloVersion version, boolean withDeleted) {
        SloDefinition slo = version.definition();
        return new Detail(slo.name(), slo.team(), slo.service(), slo.displayName(), slo.target(), slo.window().label(),
                method(slo), version.version(), withDeleted ? version.deleted() : null,
                version.changedAt().toString(), version.changedBy(), SloDocuments.toTree(version.document()));
    }

    static String method(SloDefinition slo) {
        return switch (slo.budgeting().method()) {
            case OCCURRENCES -> "Occurrences";
            case TIMESLICES -> "Timeslices";
        };
    }
}
