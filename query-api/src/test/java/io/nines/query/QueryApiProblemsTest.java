package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every way a request can go wrong is answered as RFC 9457 problem+json naming what to fix. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiProblemsTest {

    private static final String LATENCY = "/api/v1/services/checkout/latency";

    private QueryApi api;
    private ApiClient client;

    @BeforeAll
    void startApi(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) throws Exception {
        String database = NinesInfra.uniqueName("problems");
        api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(database), kafka.bootstrapServers()),
                InstantSource.fixed(LatencyFixture.NOW));
        new LatencyFixture().insert(clickHouse.jdbcUrl(database));
        client = new ApiClient(api.url());
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    @Test
    void rejectsAnUnreadableTime() {
        JsonNode problem = problem(client.get(LATENCY + "?from=yesterday"), 400);
        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:invalid-parameter");
        assertThat(problem.get("title").asText()).isEqualTo("Invalid query parameter");
        assertThat(problem.get("parameter").asText()).isEqualTo("from");
        assertThat(problem.get("detail").asText()).isEqualTo("from must be an RFC 3339 time such as"
                + " 2026-01-31T12:00:00Z or epoch milliseconds, was 'yesterday'");
        assertThat(problem.get("instance").asText()).isEqualTo(LATENCY);
    }

    @Test
    void rejectsFromAfterTo() {
        JsonNode problem = problem(client.get(LATENCY + "?from=2026-03-01T11:00:00Z&to=2026-03-01T10:00:00Z"), 400);
        assertThat(problem.get("parameter").asText()).isEqualTo("from");
        assertThat(problem.get("detail").asText())
                .isEqualTo("from must be before to, was from=2026-03-01T11:00:00Z to=2026-03-01T10:00:00Z");
    }

    @Test
    void rejectsARangeLongerThanTheLimitAndSaysTheLimit() {
        JsonNode problem = problem(client.get(LATENCY + "?from=2025-01-01T00:00:00Z&to=2026-03-01T00:00:00Z"), 400);
        assertThat(problem.get("detail").asText()).endsWith("is longer than the limit of 400 days");
    }

    @Test
    void rejectsQuantilesOutsideZeroToOneOrNotNumbers() {
        JsonNode above = problem(client.get(LATENCY + "?quantiles=0.5,1.5"), 400);
        assertThat(above.get("parameter").asText()).isEqualTo("quantiles");
        assertThat(above.get("detail").asText()).isEqualTo("quantiles must be within [0, 1], was 1.5");

        JsonNode text = problem(client.get(LATENCY + "?quantiles=abc"), 400);
        assertThat(text.get("parameter").asText()).isEqualTo("quantiles");
        assertThat(text.get("detail").asText()).startsWith("quantiles must be decimal numbers within [0, 1]");
    }

    @Test
    void rejectsStepsThatAreNotWholeMinutesOrGiveTooManyPoints() {
        JsonNode seconds = problem(client.get(LATENCY + "/series?step=7s"), 400);
        assertThat(seconds.get("parameter").asText()).isEqualTo("step");
        assertThat(seconds.get("detail").asText())
                .isEqualTo("step must be a positive multiple of 60000 ms (whole minutes), was 7000 ms");

        JsonNode many = problem(client.get(LATENCY + "/series?from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z"
                + "&step=1m"), 400);
        assertThat(many.get("detail").asText()).isEqualTo("step 60000 ms gives 40320 points over the range,"
                + " more than the limit of 1500; use a larger step");

        // 999999999999 days is a Duration, but not in milliseconds: refused per unit before anything overflows.
        for (String route : new String[] {LATENCY + "/series", LATENCY + "/heatmap"}) {
            JsonNode huge = problem(client.get(route + "?step=999999999999d"), 400);
            assertThat(huge.get("parameter").asText()).isEqualTo("step");
            assertThat(huge.get("detail").asText())
                    .isEqualTo("step must be at most 3660d (3660 days), was '999999999999d'");
            assertThat(problem(client.get(route + "?step=316224000001"), 400).get("detail").asText())
                    .isEqualTo("step must be at most 316224000000ms (3660 days), was '316224000001'");
        }
    }

    @Test
    void answersInjectionAttemptsAsBadRequestsOrAsPlainData() {
        for (String parameter : new String[] {"from", "to", "quantiles", "step"}) {
            String hostile = URLEncoder.encode("1; DROP TABLE latency_minute; --", StandardCharsets.UTF_8);
            JsonNode problem = problem(client.get(LATENCY + "/series?" + parameter + "=" + hostile), 400);
            assertThat(problem.get("parameter").asText()).isEqualTo(parameter);
        }
        String hostileService = URLEncoder.encode("checkout' OR '1'='1", StandardCharsets.UTF_8).replace("+", "%20");
        JsonNode unknown = problem(client.get("/api/v1/services/" + hostileService + "/latency"), 404);
        assertThat(unknown.get("detail").asText())
                .isEqualTo("no data has ever been recorded for service 'checkout' OR '1'='1'");

        assertThat(client.get("/api/v1/services").body()).contains("\"checkout\"");
    }

    @Test
    void answersAnUnknownServiceWithNotFound() {
        JsonNode problem = problem(client.get("/api/v1/services/nope/latency/series"), 404);
        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:unknown-service");
        assertThat(problem.get("title").asText()).isEqualTo("Unknown service");
        assertThat(problem.get("detail").asText()).isEqualTo("no data has ever been recorded for service 'nope'");
    }

    @Test
    void answersUnknownRoutesAndWrongMethodsAsProblems() {
        JsonNode missing = problem(client.get("/api/v1/nothing-here"), 404);
        assertThat(missing.get("title").asText()).isEqualTo("Not Found");
        assertThat(missing.get("detail").asText()).isEqualTo("no route matches GET /api/v1/nothing-here");

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(client.uri("/api/v1/services"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        JsonNode wrongMethod = problem(post, 405);
        assertThat(wrongMethod.get("title").asText()).isEqualTo("Method Not Allowed");
        assertThat(wrongMethod.get("detail").asText()).isEqualTo("the route /api/v1/services does not accept POST");
    }

    @Test
    void echoesASaneRequestIdAndGeneratesOneOtherwise() {
        HttpResponse<String> given = client.send(HttpRequest.newBuilder(client.uri("/api/v1/services/nope/latency"))
                .header("X-Request-Id", "trace-42").GET());
        assertThat(given.headers().firstValue("X-Request-Id")).contains("trace-42");
        assertThat(problem(given, 404).get("requestId").asText()).isEqualTo("trace-42");

        HttpResponse<String> hostile = client.send(HttpRequest.newBuilder(client.uri("/health"))
                .header("X-Request-Id", "<script>alert(1)</script>").GET());
        assertThat(hostile.headers().firstValue("X-Request-Id")).hasValueSatisfying(
                id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }

    @Test
    void countsRequestsByRouteTemplateAndStatusInPrometheusFormat() {
        client.get("/api/v1/services");
        client.get("/api/v1/services/nope/latency");
        client.get("/no/such/route");

        HttpResponse<String> metrics = client.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/services\",status=\"200\"}")
                .contains("http_server_requests_seconds_count{method=\"GET\","
                        + "route=\"/api/v1/services/{service}/latency\",status=\"404\"}")
                .contains("http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}")
                .contains("http_server_requests_seconds_bucket{method=\"GET\",route=\"/api/v1/services\"")
                .contains("hikaricp_connections_active");
    }

    @Test
    void reportsLivenessAndReadiness() {
        HttpResponse<String> health = client.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");
        HttpResponse<String> ready = client.get("/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"ready\"}");
    }

    /** A request Jetty refuses before any route: answered as a problem too, without an instance when the URI is unreadable. */
    private RawHttp.Answer refused(String request, int status) {
        RawHttp.Answer answer = RawHttp.send(client.uri("/"), request);
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).contains("application/problem+json");
        assertThat(answer.json().get("type").asText()).isEqualTo("about:blank");
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.body()).doesNotContain("<html").doesNotContain("Exception");
        return answer;
    }

    private static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: nines\r\n" + String.join("", headers)
                + "Connection: close\r\n\r\n";
    }

    @Test
    void answersMalformedPercentEscapesAsBadRequestProblems() {
        for (String path : new String[] {"/api/v1/services/%zz/latency", "/api/v1/services/%/latency",
                "/api/v1/services/a%00b/latency"}) {
            JsonNode problem = refused(get(path), 400).json();
            assertThat(problem.get("title").asText()).as(path).isEqualTo("Bad Request");
            assertThat(problem.get("detail").asText()).as(path).isEqualTo("the request could not be parsed: a"
                    + " malformed request line, URI (such as a bad percent escape), header or Content-Length");
            assertThat(problem.has("instance")).as(path).isFalse();
        }
        JsonNode notUtf8 = refused(get("/api/v1/services/%ff%fe/latency"), 400).json();
        assertThat(notUtf8.get("detail").asText()).isEqualTo("Bad UTF-8 encoding");
        assertThat(notUtf8.get("instance").asText()).isEqualTo("/api/v1/services/%ff%fe/latency");
    }

    @Test
    void answersAHeaderSectionOverTheLimitWith431Problem() {
        JsonNode problem = refused(get(LATENCY, "X-Padding: " + "x".repeat(20_000) + "\r\n"), 431).json();
        assertThat(problem.get("title").asText()).isEqualTo("Request Header Fields Too Large");
        assertThat(problem.get("detail").asText())
                .isEqualTo("the request's header section is larger than the server accepts");
        JsonNode longUri = refused(get("/" + "a".repeat(10_000)), 414).json();
        assertThat(longUri.get("title").asText()).isEqualTo("URI Too Long");
    }

    @Test
    void answersMalformedFramingAsBadRequestProblems() {
        JsonNode length = refused(get("/api/v1/services", "Content-Length: 99999999999999999999999\r\n"), 400)
                .json();
        assertThat(length.get("detail").asText()).startsWith("the request could not be parsed");
        JsonNode encoding = refused(get("/api/v1/services", "Transfer-Encoding: gzip, chunked, bogus\r\n"), 400)
                .json();
        assertThat(encoding.get("detail").asText()).isEqualTo("Bad Transfer-Encoding, chunked not last");
        assertThat(encoding.get("instance").asText()).isEqualTo("/api/v1/services");
        JsonNode header = refused(get("/api/v1/services", "Not A Header\r\n"), 400).json();
        assertThat(header.get("detail").asText()).isEqualTo("Illegal character SPACE=' '");
    }

    @Test
    void refusesAnAbsurdContentLengthBeforeReadingTheBody() {
        long started = System.nanoTime();
        RawHttp.Answer answer = refused("POST /api/v1/slos HTTP/1.1\r\nHost: nines\r\nContent-Type: application/yaml"
                + "\r\nContent-Length: 1000000000000\r\nConnection: close\r\n\r\nabc", 413);
        // Refused from the header alone: the server does not wait for the terabyte.
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThat(answer.json().get("title").asText()).isEqualTo("Content Too Large");
        assertThat(answer.json().get("detail").asText()).isEqualTo("an SLO may hold at most 1048576 bytes");
        assertThat(answer.json().get("instance").asText()).isEqualTo("/api/v1/slos");
    }

    @Test
    void answersABodyThatEndsEarlyAsABadRequestProblem() {
        // The client announces 10 bytes, sends 3 and closes its side: its fault, not a server failure (500).
        RawHttp.Answer answer = RawHttp.sendAndHalfClose(client.uri("/"), "POST /api/v1/slos HTTP/1.1\r\nHost: nines"
                + "\r\nContent-Type: application/yaml\r\nContent-Length: 10\r\n\r\nabc");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).contains("application/problem+json");
        assertThat(answer.json().get("detail").asText()).isEqualTo("the request body could not be read: it ended"
                + " before its Content-Length or arrived too slowly");
    }

    @Test
    void ignoresABodyOnAGetAndAnswersTheNextRequestOnTheConnectionApart() {
        // Read and dropped, never taken as the start of the next request (no request smuggling).
        List<RawHttp.Answer> answers = RawHttp.send(client.uri("/"), "GET /api/v1/services HTTP/1.1\r\nHost: nines"
                + "\r\nContent-Length: 25\r\n\r\nGET /nothing HTTP/1.1\r\n\r\n" + get("/health"), 3);
        assertThat(answers).extracting(RawHttp.Answer::status).containsExactly(200, 200);
        assertThat(answers.get(0).json().get("services")).hasSize(3);
        assertThat(answers.get(1).body()).isEqualTo("{\"status\":\"up\"}");
    }

    static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = ApiClient.json(response);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("instance").asText()).startsWith("/");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return problem;
    }
}
