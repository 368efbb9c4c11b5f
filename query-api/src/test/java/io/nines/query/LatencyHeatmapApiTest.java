package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /latency/heatmap} over spans of known latencies written as the stream writes them: every cell is compared
 * with the count of seeded spans whose latency lies within the cell's band and whose minute lies within its step.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LatencyHeatmapApiTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant START = Instant.parse("2026-03-01T11:00:00Z");
    private static final String HEATMAP = "/api/v1/services/heat/latency/heatmap";

    private final List<LatencyFixture.Minute> minutes = new ArrayList<>();
    private QueryApi api;
    private ApiClient client;

    @BeforeAll
    void startApiOverKnownLatencies(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) throws Exception {
        String database = NinesInfra.uniqueName("heatmap");
        api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(database),
                kafka.bootstrapServers()), InstantSource.fixed(NOW));
        client = new ApiClient(api.url());
        // 11:00 fast and a slow tail, 11:01 fast, 11:02 nothing, 11:03 spans under a microsecond (the zero bucket)
        // and one very slow; another operation at 11:04 that the operation filter must leave out.
        minutes.add(minute("GET /a", 0, repeat(50, 100), repeat(2000, 3)));
        minutes.add(minute("GET /a", 1, repeat(50, 40), repeat(51, 2)));
        minutes.add(minute("GET /a", 3, repeat(0, 7), repeat(30_000, 1)));
        minutes.add(minute("GET /b", 4, repeat(5, 11)));
        minutes.add(new LatencyFixture.Minute("other", "GET /a", START, repeat(1, 5), 0));
        LatencyFixture.insert(clickHouse.jdbcUrl(database), minutes);
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    @Test
    void countsEverySeededSpanInTheBandOfItsLatencyAndTheStepOfItsMinute() {
        JsonNode heatmap = ok(HEATMAP + "?from=2026-03-01T11:00:00Z&to=2026-03-01T11:06:00Z&step=2m&bands=12");

        assertThat(heatmap.get("step").asLong()).isEqualTo(120_000);
        assertThat(texts(heatmap.get("steps"))).containsExactly("2026-03-01T11:00:00Z", "2026-03-01T11:02:00Z",
                "2026-03-01T11:04:00Z");
        assertThat(heatmap.get("bands").size()).isBetween(2, 12);
        assertBandsAscendAndTouch(heatmap.get("bands"));
        assertThat(heatmap.get("bands").get(0).get("lowerMs").asDouble()).isZero();
        assertThat(cells(heatmap)).isEqualTo(expected(heatmap, minutes.stream()
                .filter(m -> m.service().equals("heat")).toList(), 2));
        assertThat(heatmap.get("count").asLong()).isEqualTo(103 + 42 + 8 + 11).isEqualTo(sum(heatmap));
    }

    @Test
    void filtersByOperationAndKeepsEveryStepOfTheRange() {
        JsonNode heatmap = ok(HEATMAP + "?from=2026-03-01T11:00:00Z&to=2026-03-01T11:05:00Z&step=60000"
                + "&operation=GET%20%2Fa&bands=40");

        assertThat(heatmap.get("operation").asText()).isEqualTo("GET /a");
        assertThat(heatmap.get("steps").size()).isEqualTo(5);
        assertThat(heatmap.get("bands").size()).isLessThanOrEqualTo(40);
        assertBandsAscendAndTouch(heatmap.get("bands"));
        assertThat(cells(heatmap)).isEqualTo(expected(heatmap, minutes.stream()
                .filter(m -> m.service().equals("heat") && m.operation().equals("GET /a")).toList(), 1));
        assertThat(heatmap.get("count").asLong()).isEqualTo(103 + 42 + 8).isEqualTo(sum(heatmap));
    }

    @Test
    void answersAQuietRangeOfAKnownServiceWithEmptyStepsAndAnUnknownServiceWith404() {
        JsonNode quiet = ok(HEATMAP + "?from=2026-03-01T10:00:00Z&to=2026-03-01T10:30:00Z");

        assertThat(quiet.get("count").asLong()).isZero();
        assertThat(quiet.get("bands")).isEmpty();
        assertThat(quiet.get("cells")).isEmpty();
        // the default step keeps a heatmap to 120 steps: 30 minutes in 1-minute steps
        assertThat(quiet.get("steps").size()).isEqualTo(30);
        assertThat(QueryApiProblemsTest.problem(client.get("/api/v1/services/nobody/latency/heatmap"), 404)
                .get("detail").asText()).contains("nobody");
    }

    @Test
    void defaultsToTheHourBeforeNowInAtMost120StepsAnd30Bands() {
        JsonNode heatmap = ok(HEATMAP);

        assertThat(heatmap.get("from").asText()).isEqualTo("2026-03-01T11:00:00Z");
        assertThat(heatmap.get("step").asLong()).isEqualTo(60_000);
        assertThat(heatmap.get("steps").size()).isEqualTo(60);
        assertThat(heatmap.get("bands").size()).isLessThanOrEqualTo(30);
        assertThat(heatmap.get("count").asLong()).isEqualTo(103 + 42 + 8 + 11).isEqualTo(sum(heatmap));
    }

    @Test
    void refusesParametersItCannotServeWithProblemsNamingThem() {
        Map<String, String> refusals = Map.of(
                "?bands=1", "bands",
                "?bands=41", "bands",
                "?bands=many", "bands",
                "?step=30s", "step",
                "?step=1m&from=2026-02-28T00:00:00Z&to=2026-03-01T00:00:00Z", "step",
                "?from=2026-03-01T11:00:00Z&to=2026-03-01T11:00:00Z", "from",
                "?from=yesterday", "from",
                "?operation=" + "x".repeat(600), "operation");
        refusals.forEach((query, parameter) -> {
            JsonNode problem = QueryApiProblemsTest.problem(client.get(HEATMAP + query), 400);
            assertThat(problem.get("parameter").asText()).as(query).isEqualTo(parameter);
            assertThat(problem.get("type").asText()).isEqualTo("urn:nines:problem:invalid-parameter");
        });
    }

    /** Seeded spans per (step, band) as the test computes them from the band bounds the API reports. */
    private static Map<String, Long> expected(JsonNode heatmap, List<LatencyFixture.Minute> seeded, int stepMinutes) {
        Map<String, Long> cells = new TreeMap<>();
        for (LatencyFixture.Minute minute : seeded) {
            int step = (int) ((minute.minute().getEpochSecond() - START.getEpochSecond()) / 60 / stepMinutes);
            for (double millis : minute.millis()) {
                cells.merge(step + "/" + band(heatmap.get("bands"), millis), 1L, Long::sum);
            }
        }
        return cells;
    }

    /** The only band whose bounds hold {@code millis}; bands share their bounds, so the lower one is exclusive. */
    private static int band(JsonNode bands, double millis) {
        List<Integer> holding = new ArrayList<>();
        for (int i = 0; i < bands.size(); i++) {
            double lower = bands.get(i).get("lowerMs").asDouble();
            double upper = bands.get(i).get("upperMs").asDouble();
            if ((millis > lower || (i == 0 && millis == lower)) && millis <= upper) {
                holding.add(i);
            }
        }
        assertThat(holding).as("bands holding %s ms", millis).hasSize(1);
        return holding.get(0);
    }

    private static void assertBandsAscendAndTouch(JsonNode bands) {
        assertThat(bands.size()).isPositive();
        for (int i = 0; i < bands.size(); i++) {
            assertThat(bands.get(i).get("upperMs").asDouble()).isGreaterThan(bands.get(i).get("lowerMs").asDouble());
            // The zero band (under a microsecond) stands alone; the bucket bands after it follow each other.
            boolean afterZeroBand = i == 1 && bands.get(0).get("lowerMs").asDouble() == 0;
            if (i > 0 && !afterZeroBand) {
                assertThat(bands.get(i).get("lowerMs").asDouble()).as("band %d starts where %d ends", i, i - 1)
                        .isCloseTo(bands.get(i - 1).get("upperMs").asDouble(),
                                org.assertj.core.data.Percentage.withPercentage(1e-9));
            }
        }
    }

    private static Map<String, Long> cells(JsonNode heatmap) {
        Map<String, Long> cells = new TreeMap<>();
        heatmap.get("cells").forEach(cell ->
                cells.put(cell.get("t").asInt() + "/" + cell.get("band").asInt(), cell.get("count").asLong()));
        return cells;
    }

    private static long sum(JsonNode heatmap) {
        long sum = 0;
        for (JsonNode cell : heatmap.get("cells")) {
            sum += cell.get("count").asLong();
        }
        return sum;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private JsonNode ok(String path) {
        var response = client.get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response);
    }

    private static LatencyFixture.Minute minute(String operation, int minute, double[]... parts) {
        double[] millis = Arrays.stream(parts).flatMapToDouble(Arrays::stream).toArray();
        return new LatencyFixture.Minute("heat", operation, START.plusSeconds(60L * minute), millis, 0);
    }

    private static double[] repeat(double millis, int times) {
        double[] values = new double[times];
        Arrays.fill(values, millis);
        return values;
    }
}
