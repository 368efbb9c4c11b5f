package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClickHouse stopped under a running API (the harness's {@code stop()}) or frozen (SIGSTOP, a server that accepts
 * connections and never answers): reads answer from the last good values, marked stale; writes fail fast; the API
 * recovers by itself when ClickHouse is back.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResilienceApiTest {

    private static final String STATUS = "/api/v1/slos/steady/status";
    private static final String SERIES = "/api/v1/services/checkout/latency/series?from=2026-03-01T11:00:00Z"
            + "&to=2026-03-01T11:30:00Z&step=5m";
    private static final String LATENCY = "/api/v1/services/checkout/latency?from=2026-03-01T11:00:00Z"
            + "&to=2026-03-01T11:30:00Z";
    /** The overview page's batch of statuses. */
    private static final String STATUSES = "/api/v1/slo-statuses?team=payments&limit=10";

    /** The lanes' read limit; the retry budget (2 x (1.5 s pool wait + 1 s query + 0.5 s grace) + 0.5 s) is 6.5 s. */
    private static final Duration READ_LIMIT = Duration.ofSeconds(8);
    /** One live service, with four spans (one an error) five minutes ago, for ranges that end now. */
    private static final String LIVE = "live";

    private Path home;
    private EmbeddedClickHouse clickHouse;
    private AuthenticatedApi api;
    private ApiClient client;

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) throws Exception {
        this.home = home;
        this.clickHouse = clickHouse;
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(), config -> config
                .withResilience(config.resilience().withBreakerOpenFor(Duration.ofSeconds(1))
                        .withTimeouts(READ_LIMIT, Duration.ofSeconds(1), 2)));
        client = api.token("payments", "editor").client();
        assertThat(client.send("POST", "/api/v1/slos", "application/yaml",
                SloDocs.availability("steady", "payments", "checkout", 0.99, "1h")).statusCode()).isEqualTo(201);
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        new SloMinutes().add("steady", minute, 990, 1000).insert(clickHouse.jdbcUrl(api.database));
        new LatencyFixture().insert(clickHouse.jdbcUrl(api.database));
        LatencyFixture.insert(clickHouse.jdbcUrl(api.database), List.of(new LatencyFixture.Minute(LIVE, "GET /",
                Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(5)),
                new double[] {10, 20, 30, 40}, 1)));
    }

    /** The latency page's request: the last 30 minutes up to {@code to}, in epoch milliseconds (api/nines.ts). */
    private static String dashboardSeries(Instant to, Duration range) {
        return "/api/v1/services/" + LIVE + "/latency/series?from=" + to.minus(range).toEpochMilli() + "&to="
                + to.toEpochMilli() + "&quantiles=0.5%2C0.9%2C0.99%2C0.999";
    }

    private double cacheAnswers(String cache, String result) {
        Matcher matcher = Pattern.compile("nines_api_cache_answers_total\\{cache=\"" + cache + "\",result=\""
                + result + "\"\\} ([0-9.]+)").matcher(api.admin().get("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static long sum(JsonNode points, String field) {
        long total = 0;
        for (JsonNode point : points) {
            total += point.get(field).asLong();
        }
        return total;
    }

    @AfterAll
    void stop() {
        if (!clickHouse.isRunning()) {
            clickHouse.start();
        }
        api.close();
    }

    @Test
    void readsAnswerETagsAndNotModified() {
        for (String path : new String[] {STATUS, SERIES, LATENCY, "/api/v1/slos/steady"}) {
            HttpResponse<String> first = client.get(path);
            assertThat(first.statusCode()).as(path).isEqualTo(200);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = client.send(HttpRequest.newBuilder(client.uri(path))
                    .header("If-None-Match", etag).GET());
            assertThat(again.statusCode()).as(path).isEqualTo(304);
            assertThat(again.body()).isEmpty();
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(client.uri(path))
                    .header("If-None-Match", "\"something-else\"").GET());
            assertThat(other.statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void whileClickHouseIsDownReadsAreStaleWritesFailFastAndTheApiRecoversByItself() {
        HttpResponse<String> status = client.get(STATUS);
        HttpResponse<String> series = client.get(SERIES);
        HttpResponse<String> statuses = client.get(STATUSES);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(series.statusCode()).isEqualTo(200);
        assertThat(statuses.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(status).get("good").asLong()).isEqualTo(990);
        assertThat(ApiClient.json(statuses).has("stale")).isFalse();
        assertThat(statuses.headers().firstValue("Cache-Status")).contains("nines-api; fwd=miss; stored");
        double statusesStale = cacheAnswers("statuses", "stale");
        double statusesFailed = cacheAnswers("statuses", "failed");
        assertThat(ApiClient.json(status).has("stale")).isFalse();
        assertThat(status.headers().firstValue("Cache-Status")).contains("nines-api; fwd=miss; stored");
        // The dashboard's refresh a few seconds ago: from and to move with the clock, so no later key equals it.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        HttpResponse<String> earlier = client.get(dashboardSeries(now.minusSeconds(7), Duration.ofMinutes(30)));
        assertThat(earlier.statusCode()).isEqualTo(200);
        assertThat(sum(ApiClient.json(earlier).get("points"), "count")).isEqualTo(4);
        assertThat(sum(ApiClient.json(earlier).get("points"), "errors")).isEqualTo(1);
        double seriesStale = cacheAnswers("series", "stale");
        double seriesFailed = cacheAnswers("series", "failed");

        clickHouse.stop();
        try {
            HttpResponse<String> staleStatus = client.get(STATUS);
            assertThat(staleStatus.statusCode()).isEqualTo(200);
            assertThat(staleStatus.headers().firstValue("Cache-Status"))
                    .contains("nines-api; hit; detail=\"storage-unavailable\"");
            assertThat(staleStatus.headers().firstValue("Age")).hasValueSatisfying(
                    age -> assertThat(Long.parseLong(age)).isBetween(0L, 60L));
            JsonNode staleBody = ApiClient.json(staleStatus);
            assertThat(staleBody.get("stale").asBoolean()).isTrue();
            assertThat((JsonNode) ((ObjectNode) staleBody).without("stale")).isEqualTo(ApiClient.json(status));

            HttpResponse<String> staleSeries = client.get(SERIES);
            assertThat(staleSeries.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(staleSeries).get("stale").asBoolean()).isTrue();
            assertThat((JsonNode) ((ObjectNode) ApiClient.json(staleSeries)).without("stale")).isEqualTo(ApiClient.json(series));

            // The overview's batch: the last good page of the same parameters, the page and each status stale.
            HttpResponse<String> stalePage = client.get(STATUSES);
            assertThat(stalePage.statusCode()).isEqualTo(200);
            assertThat(stalePage.headers().firstValue("Cache-Status"))
                    .contains("nines-api; hit; detail=\"storage-unavailable\"");
            assertThat(stalePage.headers().firstValue("Age")).hasValueSatisfying(
                    age -> assertThat(Long.parseLong(age)).isBetween(0L, 60L));
            JsonNode pageBody = ApiClient.json(stalePage);
            assertThat(pageBody.get("stale").asBoolean()).isTrue();
            assertThat(pageBody.get("statuses")).hasSize(1);
            JsonNode pageStatus = pageBody.get("statuses").get(0);
            assertThat(pageStatus.get("name").asText()).isEqualTo("steady");
            assertThat(pageStatus.get("good").asLong()).isEqualTo(990);
            assertThat(pageStatus.get("total").asLong()).isEqualTo(1000);
            assertThat(pageStatus.get("stale").asBoolean()).isTrue();
            assertThat((JsonNode) ((ObjectNode) pageStatus).without("stale"))
                    .isEqualTo(ApiClient.json(statuses).get("statuses").get(0));
            // Another page (limit) was never answered: nothing to fall back on.
            assertThat(QueryApiProblemsTest.problem(client.get(STATUSES + "&limit=11"), 503).get("type").asText())
                    .isEqualTo("urn:nines:problem:storage-unavailable");

            // The dashboard's next refresh: the last good answer of the same 30-minute shape, which says (from,
            // to) that it covers the earlier range.
            HttpResponse<String> moved = client.get(dashboardSeries(now, Duration.ofMinutes(30)));
            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(moved.headers().firstValue("Cache-Status"))
                    .contains("nines-api; hit; detail=\"storage-unavailable\"");
            JsonNode movedBody = ApiClient.json(moved);
            assertThat(movedBody.get("stale").asBoolean()).isTrue();
            assertThat(movedBody.get("from").asText()).isEqualTo(now.minusSeconds(7).minus(Duration.ofMinutes(30))
                    .toString());
            assertThat((JsonNode) ((ObjectNode) movedBody).without("stale")).isEqualTo(ApiClient.json(earlier));

            // Nothing to fall back on: an honest 503, for another parameter and for another range length.
            HttpResponse<String> uncached = client.get(SERIES + "&quantiles=0.75");
            assertThat(QueryApiProblemsTest.problem(uncached, 503).get("type").asText())
                    .isEqualTo("urn:nines:problem:storage-unavailable");
            assertThat(QueryApiProblemsTest.problem(client.get(dashboardSeries(now, Duration.ofHours(1))), 503)
                    .get("type").asText()).isEqualTo("urn:nines:problem:storage-unavailable");

            long started = System.nanoTime();
            HttpResponse<String> write = client.send("PUT", "/api/v1/slos/steady", "application/yaml",
                    SloDocs.availability("steady", "payments", "checkout", 0.95, "1h"));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(QueryApiProblemsTest.problem(write, 503).get("type").asText())
                    .isEqualTo("urn:nines:problem:storage-unavailable");
            assertThat(write.headers().firstValue("Retry-After")).contains("5");
            // Tried once, never retried: at most one pool timeout (1.5 s), usually refused by the open breaker.
            assertThat(took).isLessThan(Duration.ofMillis(2500));
            // The breaker counts the last 20 calls: failures open it once they are half of them.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                client.get(LATENCY + "&quantiles=0.25");
                assertThat(api.admin().get("/metrics").body())
                        .contains("resilience4j_circuitbreaker_state{name=\"clickhouse\",state=\"open\"} 1.0");
            });
        } finally {
            clickHouse.start();
        }

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> fresh = client.get(STATUS);
            assertThat(fresh.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(fresh).has("stale")).isFalse();
            assertThat(fresh.headers().firstValue("Cache-Status")).contains("nines-api; fwd=miss; stored");
        });
        assertThat(client.send("PUT", "/api/v1/slos/steady", "application/yaml",
                SloDocs.availability("steady", "payments", "checkout", 0.95, "1h")).statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(client.get(SERIES)).has("stale")).isFalse();
        String metrics = api.admin().get("/metrics").body();
        // Status was polled while the API recovered, so it may have been served stale more than once.
        assertThat(metrics).containsPattern("nines_api_cache_answers_total\\{cache=\"status\",result=\"stale\"\\}"
                        + " [1-9][0-9]*\\.0");
        assertThat(cacheAnswers("series", "stale") - seriesStale).isEqualTo(2);
        assertThat(cacheAnswers("series", "failed") - seriesFailed).isEqualTo(2);
        assertThat(cacheAnswers("statuses", "stale") - statusesStale).isEqualTo(1);
        assertThat(cacheAnswers("statuses", "failed") - statusesFailed).isEqualTo(1);
        JsonNode recovered = ApiClient.json(client.get(STATUSES));
        assertThat(recovered.has("stale")).isFalse();
        assertThat(recovered.get("statuses").get(0).has("stale")).isFalse();
    }

    @Test
    void whileClickHouseIsSlowReadsAreAnsweredStaleWithinTheReadLimitAndTheApiRecovers() {
        HttpResponse<String> status = client.get(STATUS);
        HttpResponse<String> series = client.get(SERIES);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(series.statusCode()).isEqualTo(200);

        try (FrozenClickHouse frozen = FrozenClickHouse.freeze(clickHouse)) {
            for (String path : new String[] {STATUS, SERIES}) {
                long started = System.nanoTime();
                HttpResponse<String> slow = client.get(path);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                // Timeouts are not retried and the whole retry budget fits in the read limit, so the stale answer
                // comes before the lane gives up with 503 timeout.
                assertThat(slow.statusCode()).as(path).isEqualTo(200);
                assertThat(took).as(path).isLessThan(READ_LIMIT);
                assertThat(slow.headers().firstValue("Cache-Status")).as(path)
                        .contains("nines-api; hit; detail=\"storage-unavailable\"");
                assertThat(ApiClient.json(slow).get("stale").asBoolean()).as(path).isTrue();
            }
            assertThat(ApiClient.json(client.get(STATUS)).get("good").asLong()).isEqualTo(990);
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> fresh = client.get(SERIES);
            assertThat(fresh.statusCode()).isEqualTo(200);
            assertThat(ApiClient.json(fresh).has("stale")).isFalse();
        });
        assertThat(ApiClient.json(client.get(STATUS)).has("stale")).isFalse();
    }
}
