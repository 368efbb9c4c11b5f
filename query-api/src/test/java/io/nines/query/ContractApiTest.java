package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The published contract: the OpenAPI document, and hostile text in every parameter it lists. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractApiTest {

    private static final List<String> HOSTILE = List.of("' OR 1=1 --", "x'); DROP TABLE slo_definitions; --",
            "\\' UNION SELECT name, hash FROM api_tokens --", "1; SELECT sleep(3)", "{name}", "%00%27",
            "../../etc/passwd", "\u202e\u0000'\"`", "9".repeat(400), "999999999999d");
    private static final Set<Integer> ANSWERS = Set.of(200, 204, 304, 400, 404, 409, 415);

    private Path home;
    private AuthenticatedApi api;
    private EmbeddedClickHouse clickHouse;

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) throws Exception {
        this.home = home;
        this.clickHouse = clickHouse;
        // Hundreds of requests in a few seconds from one token: far over the default rate limit, which is not tested here.
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(),
                config -> config.withResilience(config.resilience().withRequestsPerSecond(100_000)));
        assertThat(api.admin().send("POST", "/api/v1/slos", "application/yaml",
                SloDocs.availability("contract", 0.99)).statusCode()).isEqualTo(201);
        new LatencyFixture().insert(clickHouse.jdbcUrl(api.database));
        assertThat(api.admin().send("POST", "/api/v1/notification-targets", "application/yaml", """
                apiVersion: openslo/v1
                kind: AlertNotificationTarget
                metadata: {name: contract, labels: {team: payments}}
                spec: {target: webhook, nines: {url: "https://hooks.example.com/contract"}}
                """).statusCode()).isEqualTo(201);
        clickHouse.execute("INSERT INTO " + api.database + ".alert_events (alert_id, slo, team, service, severity,"
                + " state, sequence, incident_id, at, rule, burn_rates, budget_consumed, notification_targets) VALUES"
                + " ('contract/page','contract','payments','checkout','page','firing',1,'contract/page/1',"
                + "'2026-03-15 11:00:00','burnrate>=14.4 over 1h and 5m',{'5m':20.5},0.01,[])");
    }

    @AfterAll
    void stop() {
        api.close();
    }

    private JsonNode document() {
        HttpResponse<String> response = api.anonymous().get("/openapi");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return ApiClient.json(response);
    }

    @Test
    void theOpenApiDocumentListsEveryRouteWithItsRoleAndParameters() {
        JsonNode document = document();
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.at("/info/title").asText()).isEqualTo("Nines query API");
        assertThat(document.at("/info/version").asText()).isEqualTo("v1");
        Set<String> routes = new TreeSet<>();
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(
                operation -> routes.add(operation.getKey().toUpperCase() + " " + path.getKey() + " "
                        + operation.getValue().get("x-nines-role").asText())));
        // Other features add their routes to the same table; these are the ones of the SLO, token and session API.
        assertThat(routes).contains(
                "GET /health open", "GET /ready open", "GET /metrics open",
                "GET /openapi open", "GET /openapi/ui open", "GET /openapi/ui/{file} open",
                "GET /api/v1/services viewer", "GET /api/v1/services/{service}/latency viewer",
                "GET /api/v1/services/{service}/latency/series viewer",
                "POST /api/v1/slos editor", "GET /api/v1/slos viewer", "GET /api/v1/slos/{name} viewer",
                "PUT /api/v1/slos/{name} editor", "DELETE /api/v1/slos/{name} editor",
                "GET /api/v1/slos/{name}/versions viewer", "GET /api/v1/slos/{name}/status viewer",
                "GET /api/v1/slos/{name}/history viewer",
                "POST /api/v1/tokens admin", "GET /api/v1/tokens admin", "DELETE /api/v1/tokens/{id} admin",
                "POST /api/v1/session open", "GET /api/v1/session viewer", "DELETE /api/v1/session open");
        assertThat(names(document.at("/paths/~1api~1v1~1services~1{service}~1latency~1series/get/parameters")))
                .containsExactly("service", "from", "to", "step", "quantiles", "operation");
        assertThat(names(document.at("/paths/~1api~1v1~1slos/get/parameters")))
                .containsExactly("team", "service", "limit", "cursor");
        String statusSchema = document.at("/paths/~1api~1v1~1slos~1{name}~1status/get/responses/200/content"
                + "/application~1json/schema/$ref").asText();
        JsonNode status = document.at(statusSchema.substring(1) + "/properties");
        assertThat(names(status)).contains("name", "target", "window", "sli", "good", "total", "errorBudget",
                "burnRates", "exhaustion", "provisional", "groups", "stale");
    }

    /**
     * Every GET route the document lists, found there so that a new route is covered the day it is added: the
     * answer carries an ETag, and the same ETag in If-None-Match gets 304 without a body.
     */
    @Test
    void everyReadAnswersAnETagAndNotModified() {
        Map<String, String> pathValues = Map.of("name", "contract", "service", LatencyFixture.SERVICE,
                "slo", "contract", "severity", "page", "file", "init.js");
        List<String> checked = new ArrayList<>();
        document().get("paths").fields().forEachRemaining(path -> {
            if (!path.getValue().has("get")) {
                return;
            }
            String uri = path.getKey();
            for (Map.Entry<String, String> value : pathValues.entrySet()) {
                uri = uri.replace("{" + value.getKey() + "}", value.getValue());
            }
            // A range that defaults to "the last hour" moves with the clock; a fixed one is what a client revalidates.
            if (names(path.getValue().get("get").path("parameters")).contains("from")) {
                uri += "?from=2026-03-01T11:00:00Z&to=2026-03-01T11:30:00Z";
            }
            HttpResponse<String> first = api.admin().get(uri);
            assertThat(first.statusCode()).as(uri + ": " + first.body()).isEqualTo(200);
            String etag = first.headers().firstValue("ETag").orElseThrow(() -> new AssertionError(path.getKey()
                    + " answered without an ETag"));
            // Each scrape counts the one before it, so /metrics never repeats itself: "*" stands in for its ETag.
            HttpResponse<String> again = api.admin().send(HttpRequest.newBuilder(api.admin().uri(uri))
                    .header("If-None-Match", uri.equals("/metrics") ? "*" : etag).GET());
            assertThat(again.statusCode()).as(uri).isEqualTo(304);
            assertThat(again.body()).as(uri).isEmpty();
            checked.add(path.getKey());
        });
        // Any other tag gets the whole answer (one route suffices: every read shares Answers.withEtag).
        HttpResponse<String> other = api.admin().send(HttpRequest.newBuilder(api.admin().uri("/api/v1/slos"))
                .header("If-None-Match", "\"something-else\"").GET());
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(other).get("slos").findValuesAsText("name")).containsExactly("contract");
        assertThat(checked).contains("/health", "/ready", "/metrics", "/openapi", "/openapi/ui/{file}",
                "/api/v1/services", "/api/v1/slos", "/api/v1/slos/{name}/versions", "/api/v1/notification-targets",
                "/api/v1/notification-targets/{name}",
                "/api/v1/silences", "/api/v1/alerts", "/api/v1/alerts/{slo}/{severity}", "/api/v1/notifications",
                "/api/v1/tokens", "/api/v1/session", "/api/v1/slo-statuses");
    }

    /** A real OpenAPI 3.1 parser reads the served document without a single message. */
    @Test
    void aRealOpenApiParserValidatesTheDocumentWithoutMessages() {
        HttpResponse<String> served = api.anonymous().get("/openapi");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served.body(), null, options);

        assertThat(result.getMessages()).isEmpty();
        OpenAPI parsed = result.getOpenAPI();
        assertThat(parsed.getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(parsed.getPaths()).hasSize(document().get("paths").size());
        assertThat(parsed.getPaths().get("/api/v1/tokens").getGet().getResponses()).containsKeys("200", "304", "400",
                "401", "403", "429", "503");
    }

    /** Bodies have schemas, and each route lists the failures it can answer with. */
    @Test
    void theDocumentDescribesRequestBodiesAndEveryAnswerARouteCanGive() {
        JsonNode document = document();
        JsonNode slos = document.at("/paths/~1api~1v1~1slos/post");
        String sloBody = slos.at("/requestBody/content/application~1yaml/schema/$ref").asText();
        assertThat(names(document.at(sloBody.substring(1) + "/properties")))
                .containsExactly("apiVersion", "kind", "metadata", "spec");
        assertThat(names(slos.get("responses"))).containsExactlyInAnyOrder("201", "400", "401", "403", "409",
                "413", "415", "429", "503");
        String tokenBody = document.at("/paths/~1api~1v1~1tokens/post/requestBody/content/application~1json/schema"
                + "/$ref").asText();
        assertThat(names(document.at(tokenBody.substring(1) + "/properties"))).containsExactly("team", "role", "name");
        assertThat(document.at(tokenBody.substring(1) + "/required").toString()).isEqualTo("[\"team\",\"role\"]");
        assertThat(document.at(sloBody.substring(1) + "/required").toString())
                .isEqualTo("[\"apiVersion\",\"kind\",\"metadata\",\"spec\"]");
        String silenceBody = document.at("/paths/~1api~1v1~1silences/post/requestBody/content/application~1json"
                + "/schema/$ref").asText();
        assertThat(names(document.at(silenceBody.substring(1) + "/properties"))).containsExactly("kind", "match",
                "startsAt", "endsAt", "weekly", "excludeFromBudget", "comment");
        assertThat(document.at("/paths/~1api~1v1~1notification-targets/post/requestBody/content").size()).isEqualTo(4);
        assertThat(names(document.at("/paths/~1api~1v1~1slos~1{name}/get/responses")))
                .containsExactlyInAnyOrder("200", "304", "400", "401", "403", "404", "429", "503");
        assertThat(names(document.at("/paths/~1health/get/responses"))).containsExactlyInAnyOrder("200", "304", "503");
        assertThat(names(document.at("/paths/~1api~1v1~1silences~1{id}/delete/responses")))
                .containsExactlyInAnyOrder("204", "400", "401", "403", "404", "429", "503");
        document.get("paths").forEach(path -> path.fields().forEachRemaining(operation -> {
            if (operation.getValue().has("requestBody")) {
                operation.getValue().at("/requestBody/content").forEach(type ->
                        assertThat(type.at("/schema/$ref").asText()).startsWith("#/components/schemas/"));
            }
        }));
    }

    @Test
    void theOpenApiDocumentIsWellFormed() {
        JsonNode document = document();
        Set<String> operationIds = new TreeSet<>();
        List<String> refs = new ArrayList<>();
        collectRefs(document, refs);
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/schemas/");
            assertThat(document.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
        document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode operation = op.getValue();
            assertThat(operationIds.add(operation.get("operationId").asText())).as("unique operationId").isTrue();
            assertThat(operation.get("responses").size()).isPositive();
            for (String parameter : path.getKey().split("/")) {
                if (parameter.startsWith("{")) {
                    String name = parameter.substring(1, parameter.length() - 1);
                    assertThat(operation.get("parameters")).anySatisfy(p -> {
                        assertThat(p.get("name").asText()).isEqualTo(name);
                        assertThat(p.get("in").asText()).isEqualTo("path");
                        assertThat(p.get("required").asBoolean()).isTrue();
                    });
                }
            }
        }));
        HttpResponse<String> ui = api.anonymous().get("/openapi/ui");
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("/openapi/ui/swagger-ui-bundle.js");
        HttpResponse<String> bundle = api.anonymous().get("/openapi/ui/swagger-ui-bundle.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body()).contains("SwaggerUIBundle");
        assertThat(api.anonymous().get("/openapi/ui/..%2Fpom.properties").statusCode()).isEqualTo(404);
    }

    @Test
    void hostileTextInEveryParameterOfEveryRouteIsRefusedOrTreatedAsData() {
        JsonNode document = document();
        String tablesBefore = clickHouse.execute("SELECT name FROM system.tables WHERE database = '" + api.database
                + "' ORDER BY name FORMAT TSV");
        int requests = 0;
        List<String> skipped = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields();
            while (operations.hasNext()) {
                Map.Entry<String, JsonNode> operation = operations.next();
                JsonNode parameters = operation.getValue().get("parameters");
                if (parameters == null || path.getKey().startsWith("/openapi")) {
                    continue;
                }
                // Hostile text is judged against the route's answer to harmless text: a route that fails even
                // then (a feature whose tables do not exist yet) says nothing about injection.
                HttpResponse<String> baseline = api.admin().send(HttpRequest.newBuilder(api.admin().uri(
                        uri(path.getKey(), parameters, "", "", operation.getKey()))).method(operation.getKey().toUpperCase(),
                        HttpRequest.BodyPublishers.noBody()));
                if (baseline.statusCode() >= 500) {
                    skipped.add(operation.getKey() + " " + path.getKey() + " " + baseline.statusCode());
                    continue;
                }
                for (JsonNode parameter : parameters) {
                    for (String hostile : HOSTILE) {
                        String uri = uri(path.getKey(), parameters, parameter.get("name").asText(), hostile,
                                operation.getKey());
                        HttpResponse<String> response = api.admin().send(HttpRequest.newBuilder(api.admin().uri(uri))
                                .method(operation.getKey().toUpperCase(), HttpRequest.BodyPublishers.noBody()));
                        requests++;
                        assertThat(response.statusCode()).as(operation.getKey() + " " + uri + ": " + response.body())
                                .isIn(ANSWERS);
                    }
                }
            }
        }
        // 29 parameters on the SLO, latency, token and session routes, each with every hostile value.
        assertThat(requests).isGreaterThanOrEqualTo(29 * HOSTILE.size());
        assertThat(skipped).isEmpty();
        assertThat(clickHouse.execute("SELECT name FROM system.tables WHERE database = '" + api.database
                + "' ORDER BY name FORMAT TSV")).isEqualTo(tablesBefore);
        assertThat(ApiClient.json(api.admin().get("/api/v1/slos/contract")).get("version").asLong()).isEqualTo(1);
        assertThat(api.admin().get("/api/v1/tokens").statusCode()).isEqualTo(200);
    }

    /**
     * The route with {@code name} set to {@code value} and other path parameters filled in harmlessly: the SLO the
     * test made for reads, a name nothing has for changes (which must not delete it).
     */
    private static String uri(String template, JsonNode parameters, String name, String value, String method) {
        String harmless = method.equalsIgnoreCase("get") ? "contract" : "no-such-thing";
        String path = template;
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : parameters) {
            String p = parameter.get("name").asText();
            String text = p.equals(name) ? value : parameter.get("in").asText().equals("path") ? harmless : null;
            if (text == null) {
                continue;
            }
            String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
            if (parameter.get("in").asText().equals("path")) {
                path = path.replace("{" + p + "}", encoded);
            } else {
                query.append(query.length() == 0 ? "?" : "&").append(p).append('=').append(encoded);
            }
        }
        return path + query;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(p -> names.add(p.get("name").asText()));
        } else {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }
}
