package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An SLO deleted and created again under the same name starts from zero: its status, history and list status count
 * only the minutes from its new creation on, while an edit keeps counting what came before it.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloIncarnationApiTest {

    private static final Instant T0 = Instant.parse("2026-03-15T12:00:00Z");
    private static final String SLOS = "/api/v1/slos";
    private static final String YAML = "application/yaml";

    /** The API's clock, moved by the test between steps. */
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private String jdbcUrl;
    private QueryApi api;
    private ApiClient client;

    @BeforeAll
    void startApi(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        String bootstrap = kafka.bootstrapServers();
        jdbcUrl = clickHouse.jdbcUrl(NinesInfra.uniqueName("incarnation"));
        InstantSource clock = now::get;
        api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, jdbcUrl, bootstrap).withSlos(new SloSettings(
                bootstrap, NinesInfra.uniqueName("slo_incarnation"), Optional.empty(), "nines-streaming")), clock);
        client = new ApiClient(api.url());
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    @Test
    void recreatedSloCountsOnlyMinutesFromItsCreationWhileAnEditKeepsThem() throws Exception {
        String slo = "reborn";
        now.set(T0);
        assertThat(client.send("POST", SLOS, YAML, document(slo, 0.999)).statusCode()).isEqualTo(201);
        new SloMinutes().add(slo, at("12:01"), 90, 100).add(slo, at("12:02"), 40, 50).insert(jdbcUrl);
        now.set(at("12:03:30"));
        assertCounts(slo, 130, 150);

        assertThat(client.delete(SLOS + "/" + slo).statusCode()).isEqualTo(204);
        now.set(at("12:05:20"));
        assertThat(client.send("POST", SLOS, YAML, document(slo, 0.999)).statusCode()).isEqualTo(201);
        new SloMinutes().add(slo, at("12:05"), 7, 8).add(slo, at("12:06"), 10, 10).insert(jdbcUrl);
        now.set(at("12:07:10"));
        assertCounts(slo, 17, 18);

        // An edit is the same SLO: the minutes before it still count.
        assertThat(client.send("PUT", SLOS + "/" + slo, YAML, document(slo, 0.99)).statusCode()).isEqualTo(200);
        new SloMinutes().add(slo, at("12:07"), 5, 5).insert(jdbcUrl);
        now.set(at("12:08:30"));
        JsonNode status = assertCounts(slo, 22, 23);
        assertThat(status.get("target").asDouble()).isEqualTo(0.99);
        assertThat(status.get("errorBudget").get("consumed").asLong()).isEqualTo(1);
        assertThat(status.get("errorBudget").get("remaining").asDouble()).isCloseTo(1 - 1 / (0.01 * 23), within(1e-9));

        JsonNode history = ok(SLOS + "/" + slo + "/history?from=2026-03-15T12:00:00Z&to=2026-03-15T12:09:00Z&step=1m");
        long good = 0;
        long total = 0;
        for (JsonNode point : history.get("points")) {
            good += point.get("good").asLong();
            total += point.get("total").asLong();
            if (point.get("t").asText().compareTo("2026-03-15T12:05:00Z") <= 0) {
                assertThat(point.get("total").asLong()).as("minute before the re-creation, %s", point).isZero();
            }
        }
        assertThat(good).isEqualTo(22);
        assertThat(total).isEqualTo(23);
    }

    @Test
    void sloNeverDeletedCountsEveryMinuteOfItsWindow() throws Exception {
        String slo = "steady";
        now.set(at("12:00"));
        assertThat(client.send("POST", SLOS, YAML, document(slo, 0.999)).statusCode()).isEqualTo(201);
        // Minutes from before the creation count too: only a deletion starts an SLO over.
        new SloMinutes().add(slo, at("11:00"), 3, 4).add(slo, at("12:01"), 6, 6).insert(jdbcUrl);
        now.set(at("12:02:10"));
        assertThat(client.send("PUT", SLOS + "/" + slo, YAML, document(slo, 0.995)).statusCode()).isEqualTo(200);
        assertCounts(slo, 9, 10);
    }

    /** Status and list status agree on the counts; returns the status. */
    private JsonNode assertCounts(String slo, long good, long total) {
        JsonNode status = ok(SLOS + "/" + slo + "/status");
        assertThat(status.get("good").asLong()).isEqualTo(good);
        assertThat(status.get("total").asLong()).isEqualTo(total);
        JsonNode listed = ok("/api/v1/slo-statuses?service=" + slo + "-svc").get("statuses");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("good").asLong()).isEqualTo(good);
        assertThat(listed.get(0).get("total").asLong()).isEqualTo(total);
        return status;
    }

    private JsonNode ok(String path) {
        HttpResponse<String> response = client.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private static String document(String name, double target) {
        return SloDocs.availability(name, "payments", name + "-svc", target, "30d");
    }

    private static Instant at(String time) {
        return Instant.parse("2026-03-15T" + (time.length() == 5 ? time + ":00" : time) + "Z");
    }
}
