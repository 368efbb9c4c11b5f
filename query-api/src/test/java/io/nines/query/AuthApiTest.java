package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Tokens, roles and teams through the real API, bootstrapped from an admin token file. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthApiTest {

    private static final String SLOS = "/api/v1/slos";

    private Path home;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private AuthenticatedApi api;
    private EmbeddedClickHouse clickHouse;
    private EmbeddedKafka kafka;

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) {
        this.home = home;
        this.clickHouse = clickHouse;
        this.kafka = kafka;
        // Everything the process logs from now on, at every level the configuration lets through.
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(), UnaryOperator.identity());
    }

    @AfterAll
    void stop() {
        api.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    }

    @Test
    void startupWritesAnAdminTokenFileOnlyItsOwnerCanRead() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(api.adminTokenFile)))
                .isEqualTo("rw-------");
        assertThat(api.adminToken()).matches("nines_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        assertThat(api.admin().get("/api/v1/tokens").statusCode()).isEqualTo(200);
    }

    @Test
    void anAdminTokenFileThatExistsIsReusedOnRestart() {
        try (AuthenticatedApi again = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(),
                UnaryOperator.identity())) {
            assertThat(again.adminToken()).isEqualTo(api.adminToken());
            assertThat(again.admin().get(SLOS).statusCode()).isEqualTo(200);
            assertThat(again.api.adminToken()).hasValueSatisfying(outcome -> assertThat(outcome.created()).isFalse());
        }
    }

    @Test
    void requestsWithoutAValidTokenGet401WithABearerChallenge() {
        for (ApiClient client : List.of(api.anonymous(), api.anonymous().withToken("nines_0000000000000000_"
                + "A".repeat(43)), api.anonymous().withToken("' OR 1=1 --"))) {
            HttpResponse<String> response = client.get(SLOS);
            JsonNode problem = QueryApiProblemsTest.problem(response, 401);
            assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:unauthenticated");
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"nines\"");
        }
    }

    @Test
    void healthReadinessMetricsAndTheContractStayOpen() {
        for (String path : List.of("/health", "/ready", "/metrics", "/openapi", "/openapi/ui")) {
            assertThat(api.anonymous().get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void aViewerReadsEverythingButChangesNothing() {
        AuthenticatedApi.Token viewer = api.token("payments", "viewer");
        assertThat(api.admin().send("POST", SLOS, "application/yaml",
                SloDocs.availability("viewed", "payments", "checkout", 0.99, "30d")).statusCode()).isEqualTo(201);

        assertThat(viewer.client().get(SLOS + "/viewed").statusCode()).isEqualTo(200);
        assertThat(viewer.client().get(SLOS + "/viewed/status").statusCode()).isEqualTo(200);
        HttpResponse<String> write = viewer.client().send("PUT", SLOS + "/viewed", "application/yaml",
                SloDocs.availability("viewed", "payments", "checkout", 0.9, "30d"));
        assertThat(QueryApiProblemsTest.problem(write, 403).get("detail").asText())
                .isEqualTo("this route needs the role editor; the token has viewer");
        assertThat(viewer.client().delete(SLOS + "/viewed").statusCode()).isEqualTo(403);
        assertThat(viewer.client().send("POST", SLOS, "application/yaml",
                SloDocs.availability("mine", "payments", "checkout", 0.9, "30d")).statusCode()).isEqualTo(403);
        assertThat(viewer.client().get("/api/v1/tokens").statusCode()).isEqualTo(403);
        assertThat(ApiClient.json(api.admin().get(SLOS + "/viewed")).get("target").asDouble()).isEqualTo(0.99);
    }

    @Test
    void anEditorChangesItsOwnTeamsSlosButNotAnotherTeams() {
        AuthenticatedApi.Token payments = api.token("payments", "editor");
        assertThat(api.admin().send("POST", SLOS, "application/yaml",
                SloDocs.availability("search-slo", "search", "search", 0.99, "30d")).statusCode()).isEqualTo(201);

        HttpResponse<String> own = payments.client().send("POST", SLOS, "application/yaml",
                SloDocs.availability("pay-slo", "payments", "checkout", 0.99, "30d"));
        assertThat(own.statusCode()).isEqualTo(201);
        assertThat(ApiClient.json(own).get("slos").get(0).get("changedBy").asText())
                .isEqualTo("token:" + payments.id());
        assertThat(payments.client().send("PUT", SLOS + "/pay-slo", "application/yaml",
                SloDocs.availability("pay-slo", "payments", "checkout", 0.995, "30d")).statusCode()).isEqualTo(200);

        HttpResponse<String> other = payments.client().send("PUT", SLOS + "/search-slo", "application/yaml",
                SloDocs.availability("search-slo", "search", "search", 0.5, "30d"));
        assertThat(QueryApiProblemsTest.problem(other, 403).get("detail").asText()).isEqualTo(
                "SLO 'search-slo' belongs to team 'search'; this token may change team 'payments' only");
        // Naming their own team in the document does not let an editor take another team's SLO over.
        assertThat(payments.client().send("PUT", SLOS + "/search-slo", "application/yaml",
                SloDocs.availability("search-slo", "payments", "search", 0.5, "30d")).statusCode()).isEqualTo(403);
        assertThat(payments.client().delete(SLOS + "/search-slo").statusCode()).isEqualTo(403);
        assertThat(payments.client().send("POST", SLOS, "application/yaml",
                SloDocs.availability("search-new", "search", "search", 0.9, "30d")).statusCode()).isEqualTo(403);
        // Nor move its own SLO to another team.
        assertThat(payments.client().send("PUT", SLOS + "/pay-slo", "application/yaml",
                SloDocs.availability("pay-slo", "search", "checkout", 0.9, "30d")).statusCode()).isEqualTo(403);

        JsonNode search = ApiClient.json(api.admin().get(SLOS + "/search-slo"));
        assertThat(search.get("target").asDouble()).isEqualTo(0.99);
        assertThat(search.get("version").asLong()).isEqualTo(1);
        assertThat(payments.client().get(SLOS + "/search-new").statusCode()).isEqualTo(404);
        assertThat(payments.client().delete(SLOS + "/pay-slo").statusCode()).isEqualTo(204);
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnce() {
        AuthenticatedApi.Token token = api.token("payments", "viewer");
        assertThat(token.client().get(SLOS).statusCode()).isEqualTo(200);

        assertThat(api.admin().delete("/api/v1/tokens/" + token.id()).statusCode()).isEqualTo(204);

        assertThat(token.client().get(SLOS).statusCode()).isEqualTo(401);
        assertThat(api.admin().get("/api/v1/tokens?limit=1000").body()).doesNotContain(token.id());
        assertThat(QueryApiProblemsTest.problem(api.admin().delete("/api/v1/tokens/" + token.id()), 404)
                .get("type").asText()).isEqualTo("urn:nines:problem:unknown-token");
    }

    @Test
    void tokensAreListedInPagesWithoutTheirSecrets() {
        List<AuthenticatedApi.Token> made = List.of(api.token("listing", "viewer"), api.token("listing", "editor"),
                api.token("listing", "admin"));
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        String cursor = "";
        do {
            HttpResponse<String> page = api.admin().get("/api/v1/tokens?limit=2" + cursor);
            assertThat(page.statusCode()).isEqualTo(200);
            bodies.add(page.body());
            JsonNode json = ApiClient.json(page);
            assertThat(json.get("tokens").size()).isLessThanOrEqualTo(2);
            json.get("tokens").forEach(token -> {
                ids.add(token.get("id").asText());
                assertThat(token.has("token")).isFalse();
            });
            cursor = json.has("nextCursor") ? "&cursor=" + json.get("nextCursor").asText() : null;
        } while (cursor != null);
        assertThat(ids).doesNotHaveDuplicates().isSorted()
                .containsAll(made.stream().map(AuthenticatedApi.Token::id).toList());
        for (AuthenticatedApi.Token token : made) {
            assertThat(String.join("", bodies)).doesNotContain(token.secret());
        }
        assertThat(QueryApiProblemsTest.problem(api.admin().get("/api/v1/tokens?limit=0"), 400)
                .get("parameter").asText()).isEqualTo("limit");
    }

    @Test
    void tokenRequestsWithBadFieldsAreRefusedNamingTheField() {
        ApiClient admin = api.admin();
        assertThat(QueryApiProblemsTest.problem(admin.send("POST", "/api/v1/tokens", "application/json",
                "{\"team\":\"payments\",\"role\":\"owner\"}"), 400).get("parameter").asText()).isEqualTo("role");
        assertThat(QueryApiProblemsTest.problem(admin.send("POST", "/api/v1/tokens", "application/json",
                "{\"team\":\"Pay ments!\",\"role\":\"viewer\"}"), 400).get("parameter").asText()).isEqualTo("team");
        assertThat(QueryApiProblemsTest.problem(admin.send("POST", "/api/v1/tokens", "application/json",
                "[1,2"), 400).get("parameter").asText()).isEqualTo("(body)");
        assertThat(admin.send("POST", "/api/v1/tokens", "text/plain", "team=x").statusCode()).isEqualTo(415);
    }

    @Test
    void aSessionCookieIsHttpOnlyAndStrictAndEndsWithLogout() {
        AuthenticatedApi.Token token = api.token("dashboards", "viewer");
        HttpResponse<String> login = api.anonymous().send(HttpRequest.newBuilder(api.anonymous().uri("/api/v1/session"))
                .header("Authorization", "Bearer " + token.secret()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(login).get("team").asText()).isEqualTo("dashboards");
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("nines_session=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/");
        assertThat(login.body()).doesNotContain(token.secret());
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        ApiClient browser = api.anonymous();
        assertThat(browser.send(HttpRequest.newBuilder(browser.uri(SLOS)).header("Cookie", cookie).GET())
                .statusCode()).isEqualTo(200);
        assertThat(browser.send(HttpRequest.newBuilder(browser.uri("/api/v1/session")).header("Cookie", cookie)
                .DELETE()).statusCode()).isEqualTo(204);
        assertThat(browser.send(HttpRequest.newBuilder(browser.uri(SLOS)).header("Cookie", cookie).GET())
                .statusCode()).isEqualTo(401);
    }

    @Test
    void secretsAppearOnlyInTheCreationAnswerAndNeverInTheLog() {
        log.list.clear();
        AuthenticatedApi.Token token = api.token("secrets", "editor");
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(token.client().get(SLOS));
        answers.add(token.client().get("/api/v1/session"));
        answers.add(token.client().get("/api/v1/tokens"));
        answers.add(token.client().send("POST", SLOS, "application/yaml", "not: [an slo"));
        answers.add(api.admin().get("/api/v1/tokens?limit=1000"));
        answers.add(api.anonymous().withToken(token.secret() + "x").get(SLOS));
        answers.add(api.anonymous().get("/api/v1/slos?team=" + token.secret()));
        assertThat(api.admin().delete("/api/v1/tokens/" + token.id()).statusCode()).isEqualTo(204);
        answers.add(token.client().get(SLOS));

        for (HttpResponse<String> answer : answers) {
            assertThat(answer.body()).doesNotContain(token.secret()).doesNotContain(api.adminToken());
            assertThat(answer.headers().map().toString()).doesNotContain(token.secret());
        }
        assertThat(log.list).isNotEmpty();
        for (ILoggingEvent event : List.copyOf(log.list)) {
            String line = event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            // The secret part only: the id before it is meant to appear in logs.
            String secret = token.secret().substring(token.secret().lastIndexOf('_') + 1);
            assertThat(line).doesNotContain(secret)
                    .doesNotContain(api.adminToken().substring(api.adminToken().lastIndexOf('_') + 1));
        }
    }
}
