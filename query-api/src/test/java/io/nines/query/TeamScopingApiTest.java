package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real tokens: an editor of team alpha changes alpha's notification targets, silences and alert rules, and
 * gets 403 problem+json for beta's, which stay as they were.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TeamScopingApiTest {

    private static final String TARGETS = "/api/v1/notification-targets";
    private static final String YAML = "application/yaml";
    private static final String JSON = "application/json";

    private AuthenticatedApi api;
    private ApiClient alpha;
    private String betaSilence;

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) {
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(), config -> config);
        ApiClient beta = api.token("beta", "editor").client();
        alpha = api.token("alpha", "editor").client();
        assertThat(beta.send("POST", TARGETS, YAML, target("beta-pager", "beta")).statusCode()).isEqualTo(201);
        assertThat(beta.send("POST", "/api/v1/slos", YAML, sloWithAlertRule("beta-slo", "beta", "beta-pager"))
                .statusCode()).isEqualTo(201);
        HttpResponse<String> silence = beta.send("POST", "/api/v1/silences", JSON,
                "{\"match\": {\"service\": \"checkout\"}, \"endsAt\": \"2099-01-01T00:00:00Z\"}");
        assertThat(silence.statusCode()).isEqualTo(201);
        betaSilence = ApiClient.json(silence).get("id").asText();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void anEditorChangesOnlyTheirOwnTeamsNotificationTargets() {
        forbidden(alpha.send("POST", TARGETS, YAML, target("alpha-steals", "beta")));
        forbidden(alpha.send("PUT", TARGETS + "/beta-pager", YAML, target("beta-pager", "beta")));
        // Naming their own team in the document does not take another team's target over.
        forbidden(alpha.send("PUT", TARGETS + "/beta-pager", YAML, target("beta-pager", "alpha")));
        forbidden(alpha.delete(TARGETS + "/beta-pager"));

        JsonNode kept = ApiClient.json(alpha.get(TARGETS + "/beta-pager"));
        assertThat(kept.get("team").asText()).isEqualTo("beta");
        assertThat(kept.get("version").asLong()).isEqualTo(1);
        assertThat(alpha.get(TARGETS + "/alpha-steals").statusCode()).isEqualTo(404);

        assertThat(alpha.send("POST", TARGETS, YAML, target("alpha-pager", "alpha")).statusCode()).isEqualTo(201);
        assertThat(alpha.send("PUT", TARGETS + "/alpha-pager", YAML, target("alpha-pager", "alpha")).statusCode())
                .isEqualTo(200);
        assertThat(alpha.delete(TARGETS + "/alpha-pager").statusCode()).isEqualTo(204);
    }

    @Test
    void anEditorSilencesOnlyTheirOwnTeam() {
        forbidden(alpha.send("POST", "/api/v1/silences", JSON,
                "{\"match\": {\"team\": \"beta\"}, \"endsAt\": \"2099-01-01T00:00:00Z\"}"));
        forbidden(alpha.send("POST", "/api/v1/silences", JSON,
                "{\"match\": {\"slo\": \"beta-slo\"}, \"endsAt\": \"2099-01-01T00:00:00Z\"}"));
        forbidden(alpha.delete("/api/v1/silences/" + betaSilence));
        assertThat(ApiClient.json(alpha.get("/api/v1/silences?team=beta")).get("silences").findValuesAsText("id"))
                .containsExactly(betaSilence);

        HttpResponse<String> own = alpha.send("POST", "/api/v1/silences", JSON,
                "{\"match\": {\"service\": \"checkout\"}, \"endsAt\": \"2099-01-01T00:00:00Z\"}");
        assertThat(own.statusCode()).isEqualTo(201);
        JsonNode silence = ApiClient.json(own);
        assertThat(silence.get("team").asText()).isEqualTo("alpha");
        assertThat(silence.at("/match/team").asText()).isEqualTo("alpha");
        assertThat(alpha.delete("/api/v1/silences/" + silence.get("id").asText()).statusCode()).isEqualTo(204);
    }

    @Test
    void anEditorChangesOnlyTheirOwnTeamsAlertRules() {
        forbidden(alpha.send("POST", "/api/v1/slos", YAML, sloWithAlertRule("alpha-steals", "beta", "beta-pager")));
        forbidden(alpha.send("PUT", "/api/v1/slos/beta-slo", YAML,
                sloWithAlertRule("beta-slo", "beta", "beta-pager").replace("target: 0.999", "target: 0.9")));
        forbidden(alpha.send("PUT", "/api/v1/slos/beta-slo", YAML,
                sloWithAlertRule("beta-slo", "alpha", "beta-pager")));
        forbidden(alpha.delete("/api/v1/slos/beta-slo"));

        JsonNode kept = ApiClient.json(alpha.get("/api/v1/slos/beta-slo"));
        assertThat(kept.get("team").asText()).isEqualTo("beta");
        assertThat(kept.get("version").asLong()).isEqualTo(1);
        assertThat(kept.at("/document/spec/alertPolicies/0/metadata/name").asText()).isEqualTo("beta-slo-paging");
    }

    private static void forbidden(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = ApiClient.json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:other-team");
        assertThat(problem.get("status").asInt()).isEqualTo(403);
        assertThat(problem.get("detail").asText()).contains("team 'beta'", "team 'alpha' only");
    }

    private static String target(String name, String team) {
        return """
                apiVersion: openslo/v1
                kind: AlertNotificationTarget
                metadata: {name: %s, labels: {team: %s}}
                spec: {target: webhook, nines: {url: "https://hooks.example.com/%s"}}
                """.formatted(name, team, name);
    }

    private static String sloWithAlertRule(String name, String team, String targetRef) {
        return SloDocs.availability(name, team, "checkout", 0.999, "30d") + """
                  alertPolicies:
                    - kind: AlertPolicy
                      metadata: {name: %s-paging}
                      spec: {notificationTargets: [{targetRef: %s}]}
                """.formatted(name, targetRef);
    }
}
