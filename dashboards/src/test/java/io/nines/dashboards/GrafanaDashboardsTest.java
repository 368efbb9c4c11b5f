package io.nines.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every panel of the Grafana dashboards in {@code dashboards/grafana/dashboards} runs, with the ClickHouse data
 * source's macros expanded as the plugin expands them, against Nines' real schema and seeded minutes, and the
 * figures agree with the API's.
 */
@ExtendWith(NinesInfra.class)
class GrafanaDashboardsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");
    private static final Pattern TIME_INTERVAL = Pattern.compile("\\$__timeInterval\\(([^)]+)\\)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyPanelQueryRunsAndAgreesWithTheApi(EmbeddedKafka kafka, EmbeddedClickHouse clickhouse) throws Exception {
        Path dashboards = Path.of(System.getProperty("nines.root"), "dashboards/grafana/dashboards");
        try (SeededPlatform platform = SeededPlatform.start(kafka, clickhouse)) {
            Instant now = Instant.now();
            platform.createSlos(3);
            platform.seedSloMinutes(now);
            platform.seedLatency(now);
            Instant to = now.truncatedTo(ChronoUnit.MINUTES);
            Instant from = to.minus(SeededPlatform.MINUTES, ChronoUnit.MINUTES);
            Map<String, String> variables = Map.of("team", "", "slo", "checkout-availability", "service", "checkout");

            Map<String, List<JsonNode>> results = new LinkedHashMap<>();
            List<Path> files;
            try (var list = Files.list(dashboards)) {
                files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            assertThat(files).hasSize(3);
            for (Path file : files) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                for (JsonNode variable : dashboard.at("/templating/list")) {
                    assertThat(query(clickhouse, platform, expand(variable.path("query").asText(), from, to, 60, variables)))
                            .as("variable %s of %s", variable.path("name").asText(), file.getFileName()).isNotEmpty();
                }
                for (JsonNode panel : dashboard.path("panels")) {
                    String sql = panel.at("/targets/0/rawSql").asText();
                    List<JsonNode> rows = query(clickhouse, platform, expand(sql, from, to, 60, variables));
                    assertThat(rows).as("panel '%s' of %s", panel.path("title").asText(), file.getFileName()).isNotEmpty();
                    results.put(dashboard.path("uid").asText() + "/" + panel.path("id").asInt(), rows);
                }
            }

            // Overview: the seeded budgets, riskiest first, as the API computes them over the same minutes.
            List<JsonNode> overview = results.get("nines-slo-overview/1");
            assertThat(overview.get(0).path("slo").asText()).isEqualTo("search-latency");
            JsonNode checkout = overview.stream().filter(r -> r.path("slo").asText().equals("checkout-availability"))
                    .findFirst().orElseThrow();
            assertThat(checkout.path("budget_remaining").asDouble()).isCloseTo(0.5, within(1e-9));
            assertThat(checkout.path("total_events").asLong()).isEqualTo(10_000L * SeededPlatform.MINUTES);
            // Detail: burn rate 0.5 in every interval.
            assertThat(results.get("nines-slo-detail/2")).allSatisfy(r ->
                    assertThat(r.path("burn_rate").asDouble()).isCloseTo(0.5, within(1e-9)));
            // Latency: the whole range in one interval (ten years, aligned to the epoch as toStartOfInterval does) gives
            // the API's percentiles within the sketch's accuracy.
            List<JsonNode> whole = query(clickhouse, platform, expand(
                    JSON.readTree(dashboards.resolve("service-latency.json").toFile()).at("/panels/0/targets/0/rawSql")
                            .asText(), from, to, 86_400L * 3650, variables));
            JsonNode api = platform.get("/api/v1/services/checkout/latency?from=" + from.toEpochMilli() + "&to="
                    + to.toEpochMilli() + "&quantiles=0.5,0.99");
            assertThat(whole).hasSize(1);
            assertThat(whole.get(0).path("p50").asDouble()).isCloseTo(api.at("/quantiles/0.5").asDouble(),
                    within(api.at("/quantiles/0.5").asDouble() * 0.021));
            assertThat(whole.get(0).path("p99").asDouble()).isCloseTo(api.at("/quantiles/0.99").asDouble(),
                    within(api.at("/quantiles/0.99").asDouble() * 0.021));
        }
    }

    /** The grafana-clickhouse-datasource macros these dashboards use, and ${variable}s. */
    static String expand(String sql, Instant from, Instant to, long intervalSeconds, Map<String, String> variables) {
        String out = TIME_FILTER.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + " >= toDateTime("
                + from.getEpochSecond() + ") AND " + m.group(1) + " <= toDateTime(" + to.getEpochSecond() + ")"));
        out = TIME_INTERVAL.matcher(out).replaceAll(m -> Matcher.quoteReplacement("toStartOfInterval(toDateTime("
                + m.group(1) + "), INTERVAL " + intervalSeconds + " second)"));
        out = out.replace("$__interval_s", Long.toString(intervalSeconds))
                .replace("$__fromTime", "toDateTime(" + from.getEpochSecond() + ")")
                .replace("$__toTime", "toDateTime(" + to.getEpochSecond() + ")");
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            out = out.replace("${" + variable.getKey() + "}", variable.getValue());
        }
        assertThat(out).as("unexpanded macro in %s", out).doesNotContain("$");
        return out;
    }

    private static List<JsonNode> query(EmbeddedClickHouse clickhouse, SeededPlatform platform, String sql)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(clickhouse.httpUrl() + "/?database="
                + URLEncoder.encode(platform.database(), StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(sql + "\nFORMAT JSON")).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("ClickHouse answered %s to\n%s", response.body(), sql).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        JSON.readTree(response.body()).path("data").forEach(rows::add);
        return rows;
    }
}
