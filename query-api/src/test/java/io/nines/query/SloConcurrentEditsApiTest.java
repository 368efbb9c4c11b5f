package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Optimistic concurrency for SLO edits: GET's ETag names the version, PUT and DELETE honour If-Match, and two API
 * instances writing to one database at the same moment never write the same version.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloConcurrentEditsApiTest {

    private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    private static final String SLOS = "/api/v1/slos";
    private static final String YAML = "application/yaml";

    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private EmbeddedClickHouse clickHouse;
    private String database;
    private QueryApi first;
    private QueryApi second;
    private ApiClient one;
    private ApiClient two;

    @BeforeAll
    void startTwoInstancesOnOneDatabase(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        this.clickHouse = clickHouse;
        database = NinesInfra.uniqueName("concurrent");
        String bootstrap = kafka.bootstrapServers();
        QueryApiConfig config = QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(database), bootstrap)
                .withSlos(new SloSettings(bootstrap, NinesInfra.uniqueName("slo_concurrent"), Optional.empty(),
                        "nines-streaming"));
        first = QueryApi.start(config, InstantSource.fixed(NOW));
        second = QueryApi.start(config, InstantSource.fixed(NOW));
        one = new ApiClient(first.url());
        two = new ApiClient(second.url());
    }

    @AfterAll
    void stop() {
        threads.shutdownNow();
        first.close();
        second.close();
    }

    @Test
    void putAndDeleteApplyOnlyToTheVersionIfMatchNames() {
        assertThat(one.send("POST", SLOS, YAML, SloDocs.availability("guarded", 0.999)).statusCode()).isEqualTo(201);
        assertThat(one.get(SLOS + "/guarded").headers().firstValue("ETag")).contains("\"1\"");
        assertThat(one.get(SLOS + "/guarded", YAML).headers().firstValue("ETag")).contains("\"1-yaml\"");

        HttpResponse<String> edited = put(one, "guarded", 0.99, "\"1\"");
        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(edited.headers().firstValue("ETag")).contains("\"2\"");

        HttpResponse<String> stale = put(one, "guarded", 0.9, "\"1\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(stale.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = ApiClient.json(stale);
        assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:precondition-failed");
        assertThat(problem.get("status").asInt()).isEqualTo(412);
        assertThat(problem.get("detail").asText()).isEqualTo("If-Match names version [1] of SLO 'guarded', but its"
                + " current version is 2; read it again (GET /api/v1/slos/guarded) and send its ETag");
        // If-Match compares strongly: a weak tag names no version.
        assertThat(put(one, "guarded", 0.9, "W/\"2\"").statusCode()).isEqualTo(412);
        JsonNode current = ApiClient.json(two.get(SLOS + "/guarded"));
        assertThat(current.get("version").asLong()).isEqualTo(2);
        assertThat(current.get("target").asDouble()).isEqualTo(0.99);

        assertThat(delete(two, "guarded", "\"1\"").statusCode()).isEqualTo(412);
        assertThat(delete(two, "guarded", "\"7\", \"2-yaml\"").statusCode()).isEqualTo(204);
        HttpResponse<String> gone = put(one, "guarded", 0.99, "*");
        assertThat(gone.statusCode()).isEqualTo(412);
        assertThat(ApiClient.json(gone).get("detail").asText())
                .isEqualTo("If-Match names * of SLO 'guarded', but there is no such SLO");
        assertThat(ApiClient.json(one.get(SLOS + "/guarded/versions")).get("versions")).hasSize(3);
    }

    @Test
    void twoInstancesEditingAtOnceNeverWriteTheSameVersion() throws Exception {
        assertThat(one.send("POST", SLOS, YAML, SloDocs.availability("shared", 0.999)).statusCode()).isEqualTo(201);
        int rounds = 5;
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String etag = one.get(SLOS + "/shared").headers().firstValue("ETag").orElseThrow();
            double target = 0.99 - round * 0.001;
            List<HttpResponse<String>> answers = together(() -> put(one, "shared", target, etag),
                    () -> put(two, "shared", target - 0.0005, etag));
            answers.forEach(answer -> statuses.add(answer.statusCode()));
            // Both based their change on the same version: exactly one may replace it.
            assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 412);
        }
        // Without If-Match the last writer wins, and each write still gets a version of its own.
        List<HttpResponse<String>> unguarded = together(() -> put(one, "shared", 0.95, null),
                () -> put(two, "shared", 0.96, null));
        assertThat(unguarded).extracting(HttpResponse::statusCode).containsExactly(200, 200);
        assertThat(unguarded.get(0).headers().firstValue("ETag"))
                .isNotEqualTo(unguarded.get(1).headers().firstValue("ETag"));

        JsonNode versions = ApiClient.json(two.get(SLOS + "/shared/versions")).get("versions");
        assertThat(versions).hasSize(1 + rounds + 2);
        assertThat(statuses).filteredOn(status -> status == 200).hasSize(rounds);
        // One published row per version, even without FINAL: no two writers ever published the same number.
        assertThat(clickHouse.execute("SELECT count(), uniqExact(version) FROM " + database + ".slo_definitions"
                + " WHERE name = 'shared' AND published = 1 FORMAT TSV").strip()).isEqualTo("8\t8");
    }

    /** Runs both requests at the same moment, each on its own thread. */
    private List<HttpResponse<String>> together(Supplier<HttpResponse<String>> a, Supplier<HttpResponse<String>> b) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> futures = List.of(a, b).stream()
                .map(request -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return request.get();
                }, threads)).toList();
        start.countDown();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static HttpResponse<String> put(ApiClient client, String name, double target, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(client.uri(SLOS + "/" + name))
                .header("Content-Type", YAML)
                .PUT(HttpRequest.BodyPublishers.ofString(SloDocs.availability(name, target)));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return client.send(request);
    }

    private static HttpResponse<String> delete(ApiClient client, String name, String ifMatch) {
        return client.send(HttpRequest.newBuilder(client.uri(SLOS + "/" + name)).header("If-Match", ifMatch).DELETE());
    }
}
