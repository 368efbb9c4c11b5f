package io.nines.query.http;

import static io.nines.query.openapi.Operation.Parameter.path;
import static io.nines.query.openapi.Operation.Parameter.query;

import io.nines.query.latency.HeatmapQuery;
import io.nines.query.openapi.OpenApiDocument;
import io.nines.query.openapi.Operation;
import io.nines.query.paging.PageRequest;
import io.nines.query.resilience.StaleCache;
import java.util.ArrayList;
import java.util.List;

/**
 * The route table: every route of the API, declared once with its method, path, role, parameters and answer.
 * Javalin's routes and the OpenAPI document are both made from it.
 */
final class ApiRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final Operation.Parameter FROM = query("from", "string", "start, RFC 3339 or epoch milliseconds;"
            + " default one hour before to");
    private static final Operation.Parameter TO = query("to", "string", "end (exclusive), RFC 3339 or epoch"
            + " milliseconds; default now");
    private static final Operation.Parameter STEP = query("step", "string", "milliseconds or 5m, 1h...: whole"
            + " minutes, at most 1500 points");
    private static final Operation.Parameter NAME = path("name", "the SLO's metadata.name");
    private static final Operation.Parameter IF_MATCH = Operation.Parameter.header("If-Match", "the ETag of GET"
            + " /slos/{name} (its version, e.g. \"3\"): the change applies only while that version is current, else"
            + " 412; send it so that two editors never overwrite each other unseen");
    private static final Operation.Parameter SERVICE = path("service", "the service.name of the spans");
    private static final Operation.Parameter OPERATION = query("operation", "string", "one operation (span name)");
    private static final Operation.Parameter QUANTILES = query("quantiles", "string", "comma-separated quantiles"
            + " within [0, 1], at most 20; default 0.5,0.9,0.99");
    static final Operation.Parameter LIMIT = query("limit", "integer", "page size, 1.." + PageRequest.MAX_LIMIT
            + ", default " + PageRequest.DEFAULT_LIMIT);
    static final Operation.Parameter CURSOR = query("cursor", "string", "nextCursor of the previous page; the"
            + " answer has nextCursor while more follow");
    private static final String[] SLO_TYPES = Bodies.DOCUMENT_TYPES.toArray(String[]::new);

    private final HttpApi.Parts parts;
    private final Callers callers;

    ApiRoutes(HttpApi.Parts parts, Callers callers) {
        this.parts = parts;
        this.callers = callers;
    }

    List<Route> all() {
        List<Route> routes = new ArrayList<>();
        operations(routes);
        latency(routes);
        parts.slos().ifPresent(slos -> slos(routes, slos));
        parts.alerting().ifPresent(alerting -> AlertingRoutes.add(routes, alerting, parts.clock()));
        parts.security().ifPresent(security -> tokens(routes, new TokenHandlers(security.tokens())));
        session(routes);
        openApi(routes, List.copyOf(routes));
        return List.copyOf(routes);
    }

    private void operations(List<Route> routes) {
        routes.add(Route.get("/health", Access.OPEN, "liveness: the process answers")
                .answers(Status.class).to(ctx -> Answers.json(ctx, new Status("up"))));
        routes.add(Route.get("/ready", Access.OPEN, "readiness: ClickHouse answers SELECT 1")
                .answers(Status.class).to(ctx -> {
                    if (!parts.storageReady().getAsBoolean()) {
                        throw new Problems.NotReadyException("ClickHouse does not answer SELECT 1");
                    }
                    Answers.json(ctx, new Status("ready"));
                }));
        routes.add(Route.get("/metrics", Access.OPEN, "Prometheus metrics (text exposition format)")
                .to(ctx -> Answers.text(ctx, PROMETHEUS_TEXT, parts.registry().scrape())));
    }

    record Status(String status) {}

    private void latency(List<Route> routes) {
        LatencyHandlers handlers = new LatencyHandlers(parts.latency(), parts.clock(),
                cache("latency"), cache("series"), cache("heatmap"));
        routes.add(Route.get("/api/v1/services", Access.VIEWER, "services that reported latency, by name")
                .parameters(LIMIT, CURSOR).answers(LatencyHandlers.ServicesResponse.class).to(handlers::services));
        routes.add(Route.get("/api/v1/services/{service}/latency", Access.VIEWER,
                "count, errors and quantiles over a range, from merged sketches")
                .parameters(SERVICE, FROM, TO, QUANTILES, OPERATION)
                .answers(LatencyHandlers.LatencyResponse.class).to(handlers::latency));
        routes.add(Route.get("/api/v1/services/{service}/latency/series", Access.VIEWER,
                "count, errors and quantiles per step")
                .parameters(SERVICE, FROM, TO, STEP, QUANTILES, OPERATION)
                .answers(LatencyHandlers.SeriesResponse.class).to(handlers::series));
        routes.add(Route.get("/api/v1/services/{service}/latency/heatmap", Access.VIEWER,
                "spans per step and latency band (log-spaced runs of the 1 % sketch buckets, merged in ClickHouse);"
                        + " the cells add up to every span of the range")
                .parameters(SERVICE, FROM, TO, query("step", "string", "milliseconds or 5m, 1h...: whole minutes, at"
                        + " most " + HeatmapQuery.MAX_STEPS + " steps; default at most " + HeatmapQuery.DEFAULT_STEPS),
                        query("bands", "integer", "at most this many latency bands, " + HeatmapQuery.MIN_BANDS + ".."
                                + HeatmapQuery.MAX_BANDS + ", default " + HeatmapQuery.DEFAULT_BANDS), OPERATION)
                .answers(LatencyHandlers.HeatmapResponse.class).to(handlers::heatmap));
    }

    private void slos(List<Route> routes, HttpApi.SloServices slos) {
        SloHandlers definitions = new SloHandlers(slos.definitions());
        SloStatusHandlers status = new SloStatusHandlers(slos.definitions(), slos.status(),
                slos.history(), cache("status"), cache("statuses"));
        routes.add(Route.post("/api/v1/slos", Access.EDITOR, "create SLOs from OpenSLO documents (own team only"
                + " for editors)").accepts(SloHandlers.SloDocument.class, SLO_TYPES)
                .conflicts("an SLO of that name exists").answers(SloHandlers.CreatedResponse.class)
                .to(definitions::create));
        routes.add(Route.get("/api/v1/slos", Access.VIEWER, "SLOs by name, filtered and paginated")
                .parameters(query("team", "string", "only this team's SLOs"),
                        query("service", "string", "only this service's SLOs"), LIMIT, CURSOR)
                .answers(SloHandlers.ListResponse.class).to(definitions::list));
        routes.add(Route.get("/api/v1/slos/{name}", Access.VIEWER, "the current version (JSON, or OpenSLO YAML with"
                + " Accept: application/yaml); ETag is the version (\"3\", \"3-yaml\"), for If-Match on PUT and"
                + " DELETE").parameters(NAME)
                .answers(SloHandlers.Detail.class).to(definitions::get));
        routes.add(Route.put("/api/v1/slos/{name}", Access.EDITOR, "create or replace one SLO (own team only for"
                + " editors); an edit keeps its status history; ETag is the new version; with If-Match only the"
                + " version it names is replaced").parameters(NAME, IF_MATCH)
                .accepts(SloHandlers.SloDocument.class, SLO_TYPES)
                .conflicts("another change of the SLO was written at the same time (without If-Match, after retries)")
                .answers(SloHandlers.Detail.class)
                .to(definitions::put));
        routes.add(Route.delete("/api/v1/slos/{name}", Access.EDITOR, "delete an SLO (own team only for editors);"
                + " with If-Match only the version it names; an SLO created again under the name starts from zero")
                .parameters(NAME, IF_MATCH)
                .conflicts("another change of the SLO was written at the same time (without If-Match, after retries)")
                .to(definitions::delete));
        routes.add(Route.get("/api/v1/slos/{name}/versions", Access.VIEWER, "every published version, oldest first")
                .parameters(NAME, LIMIT, CURSOR).answers(SloHandlers.VersionsResponse.class).to(definitions::versions));
        routes.add(Route.get("/api/v1/slos/{name}/status", Access.VIEWER, "error budget, burn rates and exhaustion;"
                + " served stale (stale: true) while ClickHouse is unavailable")
                .parameters(NAME, query("period", "string",
                        "current (default), previous, or previous:N for N (1 to 100) periods before the current one"
                        + " (calendar windows)"),
                        query("groups", "integer", "how many groups, least budget first; default 10, at most "
                                + io.nines.query.status.StatusService.MAX_GROUPS))
                .answers(SloStatusHandlers.Status.class).to(status::status));
        routes.add(Route.get("/api/v1/slo-statuses", Access.VIEWER, "the status of every SLO of a page of the SLO"
                + " list, by name, each as /slos/{name}/status answers it, all from one set of ClickHouse queries;"
                + " nextCursor continues; served stale (stale: true) while ClickHouse is unavailable")
                .parameters(query("team", "string", "only this team's SLOs"),
                        query("service", "string", "only this service's SLOs"),
                        query("limit", "integer", "page size, 1.." + SloStatusHandlers.MAX_BATCH + ", default 100"),
                        CURSOR, query("groups", "integer", "how many groups per grouped SLO, as for /status"))
                .answers(SloStatusHandlers.StatusList.class).to(status::statuses));
        routes.add(Route.get("/api/v1/slos/{name}/history", Access.VIEWER, "SLI, burn rate and budget per step")
                .parameters(NAME, FROM, TO, STEP).answers(SloStatusHandlers.History.class).to(status::history));
    }

    private void tokens(List<Route> routes, TokenHandlers tokens) {
        routes.add(Route.post("/api/v1/tokens", Access.ADMIN, "create a token for a team and role; the answer holds"
                + " the token's text, shown this once").accepts(TokenHandlers.TokenRequest.class, "application/json")
                .answers(TokenHandlers.CreatedToken.class).to(tokens::create));
        routes.add(Route.get("/api/v1/tokens", Access.ADMIN, "live tokens by id, without their secrets")
                .parameters(LIMIT, CURSOR).answers(TokenHandlers.TokenList.class).to(tokens::list));
        routes.add(Route.delete("/api/v1/tokens/{id}", Access.ADMIN, "revoke a token; it stops working at once")
                .parameters(path("id", "the token's id")).to(tokens::revoke));
    }

    private void session(List<Route> routes) {
        SessionHandlers sessions = new SessionHandlers(callers, parts.security()
                .map(HttpApi.Security::sessionIdleTimeout).orElse(java.time.Duration.ofHours(12)));
        routes.add(Route.post("/api/v1/session", Access.OPEN, "log in: trade the bearer token for an HttpOnly,"
                + " SameSite=Strict session cookie").status(200).answers(SessionHandlers.Session.class)
                .to(sessions::open));
        routes.add(Route.get("/api/v1/session", Access.VIEWER, "who the session or token acts as")
                .answers(SessionHandlers.Session.class).to(sessions::current));
        routes.add(Route.delete("/api/v1/session", Access.OPEN, "log out: end the session and clear the cookie")
                .to(sessions::close));
    }

    private void openApi(List<Route> routes, List<Route> described) {
        List<Route> all = new ArrayList<>(described);
        OpenApiHandlers handlers = new OpenApiHandlers(() -> OpenApiDocument.build("Nines query API", "v1",
                all.stream().map(Route::operation).toList()));
        List<Route> own = List.of(
                Route.get("/openapi", Access.OPEN, "this document (OpenAPI 3.1)").to(handlers::document),
                Route.get("/openapi/ui", Access.OPEN, "Swagger UI for this document").to(handlers::page),
                Route.get("/openapi/ui/{file}", Access.OPEN, "Swagger UI's files")
                        .parameters(path("file", "swagger-ui.css, swagger-ui-bundle.js or init.js"))
                        .to(handlers::asset));
        all.addAll(own);
        routes.addAll(own);
    }

    private <V> StaleCache<Answers.ReadKey, V> cache(String name) {
        return new StaleCache<>(name, parts.resilience().freshFor(), parts.resilience().staleFor(),
                parts.resilience().cacheBytes(), Answers::bytes, parts.lanes().refresher(), parts.clock(),
                parts.registry());
    }

}
