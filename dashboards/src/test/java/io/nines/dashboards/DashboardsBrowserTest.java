package io.nines.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboards in a real Chromium against a real query API with 500 SLOs: logging in, the overview's numbers
 * and order, filters and time ranges changing them, a shared URL restoring them, the error state when the API
 * stops, and the time until the overview is interactive. The browser part is {@code e2e/dashboards.e2e.mjs}
 * (playwright-core driving Debian's /usr/bin/chromium); this class starts and seeds the platform, hands the
 * expected figures to the script, and stops the API when the script asks.
 */
@ExtendWith(NinesInfra.class)
class DashboardsBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int SLOS = 500;

    @Test
    void managersReadBudgetsAndLatencyInTheBrowser(EmbeddedKafka kafka, EmbeddedClickHouse clickhouse) throws Exception {
        assumeTrue(Boolean.parseBoolean(System.getProperty("nines.browser-tests", "true")),
                "browser tests switched off (-Dnines.browser-tests=false)");
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + ": ./nines test installs it (apt-get install chromium)");
        Path module = Path.of(System.getProperty("nines.root"), "dashboards");
        Path screenshots = module.resolve("target/screenshots");
        Files.createDirectories(screenshots);

        try (SeededPlatform platform = SeededPlatform.start(kafka, clickhouse)) {
            Instant now = Instant.now();
            long seeding = System.nanoTime();
            platform.createSlos(SLOS);
            platform.seedSloMinutes(now);
            platform.seedLatency(now);
            platform.seedHeatmapLatency(now);
            platform.seedAlerts(now);
            System.out.printf("seeded %d SLOs and their minutes in %d ms%n", SLOS, (System.nanoTime() - seeding) / 1_000_000);

            // What the pages must show, read from the API itself: the test checks the page renders these figures.
            ObjectNode expect = JSON.createObjectNode();
            expect.put("total", SLOS);
            ObjectNode statuses = expect.putObject("statuses");
            for (String name : List.of("search-latency", "checkout-availability", "payments-refunds")) {
                JsonNode status = platform.get("/api/v1/slos/" + name + "/status");
                statuses.putObject(name).put("remaining", status.at("/errorBudget/remaining").asDouble())
                        .put("burn1h", status.at("/burnRates/1h").asDouble()).put("sli", status.path("sli").asDouble());
            }
            assertThat(statuses.at("/checkout-availability/remaining").asDouble()).isBetween(0.49, 0.51);
            expect.putArray("riskOrder").add("search-latency").add("checkout-availability").add("payments-refunds");
            expect.put("discoveryCount", SLOS / SeededPlatform.TEAMS.length);
            expect.put("spansPerMinute", SeededPlatform.SPANS_PER_MINUTE);
            expect.put("minutes", SeededPlatform.MINUTES);
            // The sparkline of checkout-availability: as many points as its 30-day history by day, ending at its budget.
            JsonNode trend = platform.get("/api/v1/slos/checkout-availability/history?step=1d").path("points");
            expect.putObject("trend").put("points", trend.size())
                    .put("last", trend.get(trend.size() - 1).path("budgetRemaining").asDouble());
            expect.put("firingAlert", SeededPlatform.FIRING_ALERT).put("pager", SeededPlatform.PAGER);
            expect.putObject("heatmap").put("service", SeededPlatform.HEATMAP_SERVICE)
                    .put("spans", SeededPlatform.HEATMAP_MINUTES * SeededPlatform.HEATMAP_SPANS_PER_MINUTE)
                    .put("millis", SeededPlatform.HEATMAP_MILLIS).put("slowMillis", SeededPlatform.HEATMAP_SLOW_MILLIS)
                    .put("hottestSpans", SeededPlatform.HEATMAP_MINUTES
                            * (SeededPlatform.HEATMAP_SPANS_PER_MINUTE - SeededPlatform.HEATMAP_SLOW_PER_MINUTE));
            expect.put("lastMinuteEnd", now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toEpochMilli());
            Path expectFile = module.resolve("target/e2e-expect.json");
            Files.writeString(expectFile, JSON.writeValueAsString(expect));

            ProcessBuilder node = new ProcessBuilder("node", "e2e/dashboards.e2e.mjs")
                    .directory(module.toFile())
                    .redirectErrorStream(true);
            node.environment().put("NINES_URL", platform.url());
            node.environment().put("NINES_TOKEN", platform.token());
            node.environment().put("NINES_EXPECT", expectFile.toString());
            node.environment().put("NINES_SCREENSHOTS", screenshots.toString());
            Process process = node.start();
            List<String> output = new ArrayList<>();
            JsonNode result = null;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    Writer answer = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    System.out.println("[e2e] " + line);
                    if (line.equals("STOP_API")) {
                        platform.stopApi();
                        answer.write("stopped\n");
                        answer.flush();
                    } else if (line.startsWith("RESULT ")) {
                        result = JSON.readTree(line.substring("RESULT ".length()));
                    }
                }
            } finally {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            assertThat(process.exitValue()).as("the browser script failed:\n%s", String.join("\n", output)).isZero();
            assertThat(result).as("the script's figures").isNotNull();
            Files.writeString(module.resolve("target/e2e-result.json"), result.toPrettyString());
            // Interactive: the table of 500 SLOs on screen with working filters, measured from navigation start.
            assertThat(result.path("overviewInteractiveMs").asDouble()).isLessThan(1000);
            assertThat(screenshots.resolve("overview.png")).exists();
            assertThat(screenshots.resolve("alerts.png")).exists();
            assertThat(screenshots.resolve("latency-heatmap.png")).exists();
            // Batch requests of many statuses each (a page of 100 per team), not one request per SLO.
            assertThat(result.path("statusRequests").asInt()).isBetween(5, 10);
            // All 500 statuses in one request, from a constant number of ClickHouse queries (median of three).
            assertThat(result.path("batch500Ms").asDouble()).isLessThan(2000);
        }
    }
}
