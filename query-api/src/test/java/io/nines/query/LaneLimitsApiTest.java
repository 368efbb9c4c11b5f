package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global concurrency cap and the lanes' time limit, over HTTP: tiny limits by configuration, and reads kept
 * busy by a frozen ClickHouse (SIGSTOP), so that requests really hold their places.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LaneLimitsApiTest {

    /** Three requests at once over all lanes; one thread (and a queue of four) per lane. */
    private static final int CAP = 3;
    /** Just over the read retry budget of one attempt with a 1 s query timeout (1.5 + 1 + 0.5 s = 3 s). */
    private static final Duration READ_LIMIT = Duration.ofMillis(3200);
    private static final String LATENCY = "/api/v1/services/checkout/latency?from=2026-03-01T11:00:00Z"
            + "&to=2026-03-01T11:30:00Z";

    private EmbeddedClickHouse clickHouse;
    private AuthenticatedApi api;
    private ApiClient client;
    private final ExecutorService callers = Executors.newFixedThreadPool(3);

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) throws Exception {
        this.clickHouse = clickHouse;
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(), config -> config
                .withResilience(config.resilience().withLanes(CAP, 1, 1, 1)
                        .withTimeouts(READ_LIMIT, Duration.ofSeconds(1), 1)));
        new LatencyFixture().insert(clickHouse.jdbcUrl(api.database));
        client = api.token("payments", "viewer").client();
        // Authenticates the token once, so that its later requests are checked from the cache, not ClickHouse.
        assertThat(client.get(LATENCY).statusCode()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        callers.shutdownNow();
        api.close();
    }

    /** A read no earlier request made, so that no stale answer can stand in for it. */
    private CompletableFuture<HttpResponse<String>> readLater(String quantile) {
        return CompletableFuture.supplyAsync(() -> client.get(LATENCY + "&quantiles=" + quantile), callers);
    }

    private void awaitApiReads(String gauge, int value) {
        Pattern pattern = Pattern.compile("resilience4j_bulkhead_" + gauge + "\\{[^}]*name=\"api-reads\"[^}]*\\} "
                + value + "\\.0");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> pattern.matcher(api.admin().get("/metrics").body()).find());
    }

    @Test
    void answersOverloadedWithRetryAfterOnceTheGlobalCapIsTaken() {
        CompletableFuture<HttpResponse<String>> first;
        List<CompletableFuture<HttpResponse<String>>> queued;
        try (FrozenClickHouse frozen = FrozenClickHouse.freeze(clickHouse)) {
            first = readLater("0.11");
            awaitApiReads("active_thread_count", 1);
            queued = List.of(readLater("0.12"), readLater("0.13"));
            awaitApiReads("queue_depth", 2);

            long started = System.nanoTime();
            HttpResponse<String> refused = client.get(LATENCY + "&quantiles=0.14");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            JsonNode problem = QueryApiProblemsTest.problem(refused, 503);
            assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:overloaded");
            assertThat(problem.get("title").asText()).isEqualTo("Overloaded");
            assertThat(problem.get("detail").asText())
                    .isEqualTo("the API is handling " + CAP + " requests already; retry shortly");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        }
        // Thawed before their queries timed out: the three that held the places are answered in full.
        assertThat(first.join().statusCode()).isEqualTo(200);
        assertThat(queued).allSatisfy(waiting -> assertThat(waiting.join().statusCode()).isEqualTo(200));
        assertThat(ApiClient.json(first.join()).get("count").asLong())
                .isEqualTo(ApiClient.json(client.get(LATENCY)).get("count").asLong());
    }

    @Test
    void answersTimeoutWithRetryAfterWhenARequestWaitsPastTheReadLimit() {
        try (FrozenClickHouse frozen = FrozenClickHouse.freeze(clickHouse)) {
            CompletableFuture<HttpResponse<String>> first = readLater("0.21");
            awaitApiReads("active_thread_count", 1);
            CompletableFuture<HttpResponse<String>> second = readLater("0.22");
            CompletableFuture<HttpResponse<String>> third = readLater("0.23");
            awaitApiReads("queue_depth", 2);

            // The first read's query times out (1 s + 0.5 s grace) and it has no stale answer: 503 from storage.
            JsonNode storage = QueryApiProblemsTest.problem(first.join(), 503);
            assertThat(storage.get("type").asText()).isEqualTo("urn:nines:problem:storage-unavailable");
            // The third waits for both before it: at least 2 x 1.5 s in the queue, then its own query, past 3.2 s.
            HttpResponse<String> late = third.join();
            JsonNode problem = QueryApiProblemsTest.problem(late, 503);
            assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:timeout");
            assertThat(problem.get("title").asText()).isEqualTo("Timed out");
            assertThat(problem.get("detail").asText())
                    .isEqualTo("the request took longer than " + READ_LIMIT.toMillis() + " ms; retry later");
            assertThat(late.headers().firstValue("Retry-After")).contains("5");
            assertThat(second.join().statusCode()).isEqualTo(503);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.get(LATENCY + "&quantiles=0.23").statusCode()).isEqualTo(200));
    }
}
