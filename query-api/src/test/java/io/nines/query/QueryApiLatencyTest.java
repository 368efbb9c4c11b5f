package io.nines.query;

import static io.nines.query.LatencyFixture.FIRST_MINUTE;
import static io.nines.query.LatencyFixture.GET;
import static io.nines.query.LatencyFixture.NOW;
import static io.nines.query.LatencyFixture.POST;
import static io.nines.query.LatencyFixture.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiLatencyTest {

    private final LatencyFixture fixture = new LatencyFixture();
    private QueryApi api;
    private ApiClient client;

    @BeforeAll
    void startApiOverKnownLatencies(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) throws Exception {
        String database = NinesInfra.uniqueName("latency");
        api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(database), kafka.bootstrapServers()),
                InstantSource.fixed(NOW));
        fixture.insert(clickHouse.jdbcUrl(database));
        client = new ApiClient(api.url());
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    @Test
    void listsEveryServiceOnceSortedByName() {
        HttpResponse<String> response = client.get("/api/v1/services");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(ApiClient.json(response).toString()).isEqualTo("{\"services\":[{\"name\":\"checkout\"},"
                + "{\"name\":\"search\"},{\"name\":\"x'; DROP TABLE latency_minute; --\"}]}");
    }

    @Test
    void mergesEveryMinuteAndOperationIntoExactCountsAndPercentilesWithinOnePercent() {
        JsonNode body = ok("/api/v1/services/checkout/latency?from=2026-03-01T11:00:00Z&to=2026-03-01T11:05:00Z"
                + "&quantiles=0.5,0.90,.99,1");

        List<LatencyFixture.Minute> minutes = fixture.select(LatencyFixture.checkout(FIRST_MINUTE, at(5)));
        assertThat(body.get("service").asText()).isEqualTo(SERVICE);
        assertThat(body.has("operation")).isFalse();
        assertThat(body.get("from").asText()).isEqualTo("2026-03-01T11:00:00Z");
        assertThat(body.get("to").asText()).isEqualTo("2026-03-01T11:05:00Z");
        assertThat(body.get("count").asLong()).isEqualTo(LatencyFixture.count(minutes)).isEqualTo(625);
        assertThat(body.get("errors").asLong()).isEqualTo(LatencyFixture.errors(minutes)).isEqualTo(25);
        assertQuantiles(body.get("quantiles"), minutes, "0.5", "0.9", "0.99", "1");
    }

    @Test
    void filtersByOperation() {
        JsonNode body = ok("/api/v1/services/checkout/latency?from=2026-03-01T11:00:00Z&to=2026-03-01T11:05:00Z"
                + "&operation=" + URLEncoder.encode(POST, StandardCharsets.UTF_8));

        List<LatencyFixture.Minute> minutes = fixture.select(
                LatencyFixture.checkout(FIRST_MINUTE, at(5)).and(m -> m.operation().equals(POST)));
        assertThat(body.get("operation").asText()).isEqualTo(POST);
        assertThat(body.get("count").asLong()).isEqualTo(300);
        assertThat(body.get("errors").asLong()).isEqualTo(10);
        assertQuantiles(body.get("quantiles"), minutes, "0.5", "0.9", "0.99");
    }

    @Test
    void hidesTheStaleVersionOfAMinute() {
        JsonNode body = ok("/api/v1/services/checkout/latency?from=2026-03-01T11:02:00Z&to=2026-03-01T11:03:00Z"
                + "&operation=" + URLEncoder.encode(POST, StandardCharsets.UTF_8) + "&quantiles=1");

        List<LatencyFixture.Minute> minute = fixture.select(
                LatencyFixture.checkout(at(2), at(3)).and(m -> m.operation().equals(POST)));
        assertThat(body.get("count").asLong()).isEqualTo(60);
        assertThat(body.get("errors").asLong()).isEqualTo(2);
        assertQuantiles(body.get("quantiles"), minute, "1");
    }

    @Test
    void includesTheMinuteOfFromAndEveryMinuteThatStartsBeforeTo() {
        // from 11:01:30 floors to 11:01; to 11:03:00 excludes the minute starting then
        JsonNode exact = ok("/api/v1/services/checkout/latency?from=2026-03-01T11:01:30Z&to=2026-03-01T11:03:00Z");
        assertThat(exact.get("count").asLong()).isEqualTo(LatencyFixture.count(
                fixture.select(LatencyFixture.checkout(at(1), at(3))))).isEqualTo(230);

        // epoch milliseconds; a to one millisecond into 11:03 includes that minute
        long to = at(3).toEpochMilli() + 1;
        JsonNode millis = ok("/api/v1/services/checkout/latency?from=" + at(1).toEpochMilli() + "&to=" + to);
        assertThat(millis.get("count").asLong()).isEqualTo(LatencyFixture.count(
                fixture.select(LatencyFixture.checkout(at(1), at(4))))).isEqualTo(375);
        assertThat(millis.get("to").asText()).isEqualTo("2026-03-01T11:03:00.001Z");
    }

    @Test
    void defaultsToTheHourBeforeTheInjectedNowAndTheUsualQuantiles() {
        JsonNode body = ok("/api/v1/services/checkout/latency");

        assertThat(body.get("from").asText()).isEqualTo("2026-03-01T10:30:00Z");
        assertThat(body.get("to").asText()).isEqualTo("2026-03-01T11:30:00Z");
        assertThat(body.get("count").asLong()).isEqualTo(625);
        assertQuantiles(body.get("quantiles"), fixture.select(LatencyFixture.checkout(FIRST_MINUTE, at(5))),
                "0.5", "0.9", "0.99");
    }

    @Test
    void answersAKnownServiceWithoutDataInRangeWithZeroCountsAndNullQuantiles() {
        JsonNode body = ok("/api/v1/services/search/latency?quantiles=0.5,0.99");

        assertThat(body.get("count").asLong()).isZero();
        assertThat(body.get("errors").asLong()).isZero();
        assertThat(body.get("quantiles").toString()).isEqualTo("{\"0.5\":null,\"0.99\":null}");
    }

    @Test
    void treatsInjectionAttemptsInNamesAsPlainData() {
        JsonNode hostile = ok("/api/v1/services/" + URLEncoder.encode(LatencyFixture.HOSTILE_SERVICE,
                StandardCharsets.UTF_8).replace("+", "%20") + "/latency?quantiles=0.5");
        assertThat(hostile.get("service").asText()).isEqualTo(LatencyFixture.HOSTILE_SERVICE);
        assertThat(hostile.get("count").asLong()).isEqualTo(3);
        assertThat(hostile.get("errors").asLong()).isEqualTo(1);

        JsonNode operation = ok("/api/v1/services/checkout/latency?operation="
                + URLEncoder.encode("' OR 1=1 --", StandardCharsets.UTF_8));
        assertThat(operation.get("count").asLong()).isZero();
    }

    @Test
    void seriesHasOnePointPerStepWithDataStartingAtTheStep() {
        JsonNode body = ok("/api/v1/services/checkout/latency/series?from=2026-03-01T11:00:00Z"
                + "&to=2026-03-01T11:10:00Z&step=2m&quantiles=0.5,0.99");

        assertThat(body.get("step").asLong()).isEqualTo(120_000);
        JsonNode points = body.get("points");
        assertThat(points).hasSize(3);
        int[][] steps = {{0, 2}, {2, 4}, {4, 5}};
        long[] counts = {190, 270, 165};
        for (int i = 0; i < steps.length; i++) {
            JsonNode point = points.get(i);
            List<LatencyFixture.Minute> minutes = fixture.select(
                    LatencyFixture.checkout(at(steps[i][0]), at(steps[i][1])));
            assertThat(point.get("t").asText()).isEqualTo(at(steps[i][0]).toString());
            assertThat(point.get("count").asLong()).isEqualTo(LatencyFixture.count(minutes)).isEqualTo(counts[i]);
            assertThat(point.get("errors").asLong()).isEqualTo(LatencyFixture.errors(minutes));
            assertQuantiles(point.get("quantiles"), minutes, "0.5", "0.99");
        }
    }

    @Test
    void seriesDefaultsToOneMinuteStepsForAnHourAndReadsDurationsInMilliseconds() {
        JsonNode byDefault = ok("/api/v1/services/checkout/latency/series");
        assertThat(byDefault.get("step").asLong()).isEqualTo(60_000);
        assertThat(byDefault.get("points")).hasSize(5);
        assertThat(byDefault.get("points").get(0).get("t").asText()).isEqualTo("2026-03-01T11:00:00Z");
        assertThat(byDefault.get("points").get(4).get("count").asLong()).isEqualTo(165);

        JsonNode fiveMinutes = ok("/api/v1/services/checkout/latency/series?from=2026-03-01T11:00:00Z"
                + "&to=2026-03-01T11:05:00Z&step=300000&operation=" + URLEncoder.encode(GET, StandardCharsets.UTF_8));
        assertThat(fiveMinutes.get("points")).hasSize(1);
        assertThat(fiveMinutes.get("points").get(0).get("count").asLong()).isEqualTo(325);
        assertThat(fiveMinutes.get("points").get(0).get("errors").asLong()).isEqualTo(15);
    }

    private JsonNode ok(String pathAndQuery) {
        HttpResponse<String> response = client.get(pathAndQuery);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private static void assertQuantiles(JsonNode quantiles, List<LatencyFixture.Minute> minutes, String... labels) {
        assertThat(quantiles.size()).isEqualTo(labels.length);
        List<String> names = new java.util.ArrayList<>();
        quantiles.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly(labels);
        for (String label : labels) {
            double exact = LatencyFixture.exactQuantile(minutes, Double.parseDouble(label));
            assertThat(quantiles.get(label).asDouble()).as("quantile " + label).isCloseTo(exact, withPercentage(1));
        }
    }

    private static Instant at(int minute) {
        return FIRST_MINUTE.plusSeconds(60L * minute);
    }
}
