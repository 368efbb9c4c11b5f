package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies other than SLO documents (which {@code SloInvalidDocumentsTest} covers): token JSON, silence JSON
 * and notification-target YAML get garbage, wrong types, hostile strings and oversize bodies, and answer each with a
 * problem naming what is wrong, or store hostile text as plain data.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestBodiesApiTest {

    private static final String JSON = "application/json";
    private static final String YAML = "application/yaml";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> HOSTILE = List.of("' OR 1=1 --", "x'); DROP TABLE silences; --",
            "\\' UNION SELECT name, hash FROM api_tokens --", "{{name}}", "../../etc/passwd",
            "<script>alert(1)</script>",
            "\u202e'\"`");

    private AuthenticatedApi api;
    private ApiClient admin;

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) {
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(),
                config -> config.withResilience(config.resilience().withRequestsPerSecond(100_000)));
        admin = api.admin();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void tokenRequestsAreHeldToSixteenKibibytesOfAJsonObjectWithStringFields() throws Exception {
        String object = "{\"team\":\"bodies\",\"role\":\"viewer\"}";
        String exactly = object + " ".repeat(16 * 1024 - object.length());
        assertThat(admin.send("POST", "/api/v1/tokens", JSON, exactly).statusCode()).isEqualTo(201);
        HttpResponse<String> over = admin.send("POST", "/api/v1/tokens", JSON, exactly + " ");
        assertProblem(over, 413, "a token request may hold at most 16384 bytes");

        assertProblem(admin.send("POST", "/api/v1/tokens", "text/plain", object), 415,
                "a token request is sent as application/json, not 'text/plain'");
        assertProblem(admin.send("POST", "/api/v1/tokens", JSON, "{\"team\": 5, \"role\": \"viewer\"}"), 400,
                "team must be a string");
        assertProblem(admin.send("POST", "/api/v1/tokens", JSON, "{\"team\": \"a\", \"role\": [\"admin\"]}"), 400,
                "role must be a string");
        assertProblem(admin.send("POST", "/api/v1/tokens", JSON, "{\"team\": \"a\", \"role\": \"root\"}"), 400,
                "role must be viewer, editor or admin, was 'root'");
        assertProblem(admin.send("POST", "/api/v1/tokens", JSON, "[\"team\", \"role\"]"), 400,
                "the body must be a JSON object with team and role");
        assertProblem(admin.send("POST", "/api/v1/tokens", JSON, "{\"team\": "), 400, "the body is not JSON");
        for (String hostile : HOSTILE) {
            String body = MAPPER.writeValueAsString(Map.of("team", hostile, "role", "viewer"));
            HttpResponse<String> response = admin.send("POST", "/api/v1/tokens", JSON, body);
            assertThat(response.statusCode()).as(hostile).isEqualTo(400);
            assertThat(ApiClient.json(response).get("parameter").asText()).isEqualTo("team");
        }
    }

    @Test
    void silenceBodiesOfWrongTypesOrOverOneMebibyteAreRefusedAndHostileTextIsKeptAsData() throws Exception {
        String valid = "{\"match\": {\"service\": \"bodies\"}, \"endsAt\": \"2099-01-01T00:00:00Z\", \"comment\": \"";
        HttpResponse<String> over = admin.send("POST", "/api/v1/silences", JSON,
                valid + "x".repeat(1 << 20) + "\"}");
        assertProblem(over, 413, "a silence may hold at most 1048576 bytes");
        assertProblem(admin.send("POST", "/api/v1/silences", YAML, "match: {service: x}"), 415,
                "a silence is sent as application/json, not 'application/yaml'");

        HttpResponse<String> wrongTypes = admin.send("POST", "/api/v1/silences", JSON, """
                {"kind": 5, "match": {"slo": 7, "service": ["checkout"]}, "endsAt": 1700000000000,
                 "excludeFromBudget": "yes", "comment": {"text": "x"}}""");
        assertThat(wrongTypes.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(wrongTypes).get("errors").findValuesAsText("path")).containsExactly("kind",
                "match.slo", "match.service", "match", "endsAt", "excludeFromBudget", "comment");
        assertProblem(admin.send("POST", "/api/v1/silences", JSON, "\"silence\""), 400, null);
        assertProblem(admin.send(HttpRequest.newBuilder(admin.uri("/api/v1/silences")).header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}))),
                400, null);

        for (String hostile : HOSTILE) {
            HttpResponse<String> created = admin.send("POST", "/api/v1/silences", JSON, MAPPER.writeValueAsString(
                    Map.of("match", Map.of("service", hostile), "endsAt", "2099-01-01T00:00:00Z",
                            "comment", hostile)));
            assertThat(created.statusCode()).as(hostile + ": " + created.body()).isEqualTo(201);
            JsonNode stored = ApiClient.json(admin.get("/api/v1/silences?state=all&limit=1000")).get("silences")
                    .findParents("id").stream().filter(s -> s.get("id").asText().equals(ApiClient.json(created)
                            .get("id").asText())).findFirst().orElseThrow();
            assertThat(stored.at("/match/service").asText()).isEqualTo(hostile);
            assertThat(stored.get("comment").asText()).isEqualTo(hostile);
        }
    }

    @Test
    void targetDocumentsOfWrongTypesAreRefusedNamingTheFieldAndHostileTextIsKeptAsData() {
        HttpResponse<String> wrongTypes = admin.send("POST", "/api/v1/notification-targets", YAML, """
                apiVersion: openslo/v1
                kind: AlertNotificationTarget
                metadata: {name: [typed], labels: {team: {nested: x}}}
                spec: {target: [webhook], nines: {url: 7}}
                """);
        assertThat(wrongTypes.statusCode()).as(wrongTypes.body()).isEqualTo(400);
        assertThat(ApiClient.json(wrongTypes).get("errors").findValuesAsText("path")).contains("metadata.name",
                "spec.target", "spec.nines.url");
        assertProblem(admin.send("POST", "/api/v1/notification-targets", YAML, "- just\n- a list\n"), 400, null);
        assertProblem(admin.send(HttpRequest.newBuilder(admin.uri("/api/v1/notification-targets"))
                .header("Content-Type", YAML).POST(HttpRequest.BodyPublishers.ofByteArray(
                        new byte[] {'a', ':', ' ', (byte) 0xFF}))), 400, null);

        for (String hostile : HOSTILE) {
            String name = "hostile-" + Integer.toHexString(hostile.hashCode());
            HttpResponse<String> created = admin.send("POST", "/api/v1/notification-targets", JSON, MAPPER
                    .createObjectNode().put("apiVersion", "openslo/v1").put("kind", "AlertNotificationTarget")
                    .<ObjectNode>set("metadata", MAPPER.createObjectNode()
                            .put("name", name).set("labels", MAPPER.createObjectNode().put("team", "bodies")))
                    .<ObjectNode>set("spec", MAPPER.createObjectNode()
                            .put("target", "webhook").put("description", hostile)
                            .set("nines", MAPPER.createObjectNode().put("url", "https://hooks.example.com/x")))
                    .toString());
            assertThat(created.statusCode()).as(hostile + ": " + created.body()).isEqualTo(201);
            assertThat(ApiClient.json(admin.get("/api/v1/notification-targets/" + name)).get("description").asText())
                    .isEqualTo(hostile);
            HttpResponse<String> badName = admin.send("PUT", "/api/v1/notification-targets/x", YAML,
                    "apiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata: {name: '"
                            + hostile.replace("'", "''") + "', labels: {team: bodies}}\nspec: {target: webhook,"
                            + " nines: {url: 'https://hooks.example.com/x'}}\n");
            assertThat(badName.statusCode()).as(hostile + ": " + badName.body()).isEqualTo(400);
        }
    }

    /** A problem+json answer with {@code status}, and {@code detail} when given. */
    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = ApiClient.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        if (detail != null) {
            assertThat(problem.get("detail").asText()).isEqualTo(detail);
        }
    }
}
