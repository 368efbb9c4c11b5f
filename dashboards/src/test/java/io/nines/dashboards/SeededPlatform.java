package io.nines.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.core.latency.LatencyHistogram;
import io.nines.infra.testing.ChildJvm;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.FreePorts;
import io.nines.infra.testing.NinesInfra;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The query API in its own JVM, as {@code ./nines up} starts it (its jar and target/lib, plus this module's built
 * assets on the classpath), on the harness's Kafka and ClickHouse, with SLOs created through the API and minutes
 * written straight into {@code slo_minute} and {@code latency_minute} as the stream would write them.
 */
final class SeededPlatform implements AutoCloseable {

    static final String[] TEAMS = {"payments", "discovery", "platform", "growth", "identity"};
    static final String[] SERVICES = {"checkout", "search", "gateway", "signup", "auth"};
    /** Minutes of data before now that the seeded SLOs and services have. */
    static final int MINUTES = 180;
    static final int SPANS_PER_MINUTE = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final EmbeddedClickHouse clickhouse;
    private final String database;
    private ChildJvm api;
    private String url;
    private String token;

    private SeededPlatform(EmbeddedClickHouse clickhouse, String database) {
        this.clickhouse = clickhouse;
        this.database = database;
    }

    static SeededPlatform start(EmbeddedKafka kafka, EmbeddedClickHouse clickhouse) throws IOException {
        SeededPlatform platform = new SeededPlatform(clickhouse, NinesInfra.uniqueName("dashboards"));
        try {
            platform.launch(kafka);
            return platform;
        } catch (RuntimeException | IOException e) {
            platform.close();
            throw e;
        }
    }

    private void launch(EmbeddedKafka kafka) throws IOException {
        Path work = Files.createTempDirectory("nines-dashboards");
        Path tokenFile = work.resolve("admin.token");
        int port = FreePorts.next();
        url = "http://127.0.0.1:" + port;
        String root = System.getProperty("nines.root");
        String apiJar = root + "/query-api/target/query-api-0.1.0-SNAPSHOT.jar";
        if (!new File(apiJar).isFile()) {
            throw new IllegalStateException(apiJar + " is missing: build with ./nines test (mvn verify from the root)");
        }
        String assets = root + "/dashboards/target/classes";
        api = ChildJvm.builder("dashboards-query-api", "io.nines.query.QueryApiMain")
                .classpath(apiJar + File.pathSeparator + root + "/query-api/target/lib/*" + File.pathSeparator + assets)
                .jvmOptions("-Xmx512m")
                .args("--host=127.0.0.1", "--port=" + port, "--clickhouse-url=" + clickhouse.jdbcUrl(database),
                        "--kafka-bootstrap=" + kafka.bootstrapServers(),
                        "--slo-topic=" + NinesInfra.uniqueName("slo_definitions"),
                        "--alerts-topic=" + NinesInfra.uniqueName("alerts"), "--admin-token-file=" + tokenFile)
                .readyLine("Query API ready")
                .start();
        token = Files.readString(tokenFile).strip();
    }

    String url() {
        return url;
    }

    String token() {
        return token;
    }

    String database() {
        return database;
    }

    /** Stops the API, leaving ClickHouse and Kafka up: what the dashboards show when the API is gone. */
    void stopApi() {
        api.stop();
    }

    /** {@code count} SLOs over the teams and services, the first three with the figures the test reads back. */
    void createSlos(int count) throws IOException, InterruptedException {
        List<String> documents = new ArrayList<>();
        documents.add(slo("checkout-availability", "payments", "checkout", 0.999));
        documents.add(slo("search-latency", "discovery", "search", 0.99));
        documents.add(slo("payments-refunds", "payments", "checkout", 0.995));
        for (int i = 3; i < count; i++) {
            documents.add(slo(String.format("slo-%04d", i), TEAMS[i % TEAMS.length], SERVICES[i % SERVICES.length],
                    i % 2 == 0 ? 0.999 : 0.995));
        }
        // Each SLO waits for its Kafka acknowledgement: batches stay well inside the API's write time limit.
        for (int from = 0; from < documents.size(); from += 25) {
            List<String> batch = documents.subList(from, Math.min(documents.size(), from + 25));
            HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/slos"))
                    .header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(String.join("\n---\n", batch))));
            if (response.statusCode() != 201) {
                throw new AssertionError("creating SLOs answered " + response.statusCode() + ": " + response.body());
            }
        }
    }

    private static String slo(String name, String team, String service, double target) {
        return """
                apiVersion: openslo/v1
                kind: SLO
                metadata: {name: %1$s, labels: {team: %2$s}}
                spec:
                  service: %3$s
                  indicator:
                    metadata: {name: %1$s-sli}
                    spec:
                      ratioMetric:
                        counter: true
                        good: {metricSource: {type: nines.spans, spec: {service: %3$s, outcome: success}}}
                        total: {metricSource: {type: nines.spans, spec: {service: %3$s}}}
                  timeWindow: [{duration: 30d, isRolling: true}]
                  budgetingMethod: Occurrences
                  objectives: [{displayName: availability, target: %4$s}]
                """.formatted(name, team, service, target);
    }

    /**
     * Good of 10,000 events per minute for the last {@link #MINUTES} minutes: checkout-availability spends half its
     * budget, search-latency ten times its budget, payments-refunds a fifth of it.
     */
    void seedSloMinutes(Instant now) {
        Map<String, Long> goodPerMinute = Map.of("checkout-availability", 9995L, "search-latency", 9000L,
                "payments-refunds", 9990L);
        Instant last = now.truncatedTo(ChronoUnit.MINUTES);
        List<String> rows = new ArrayList<>();
        goodPerMinute.forEach((slo, good) -> {
            for (int m = 1; m <= MINUTES; m++) {
                rows.add("('%s', '', toDateTime(%d, 'UTC'), %d, 10000, 1)".formatted(slo,
                        last.minusSeconds(60L * m).getEpochSecond(), good));
            }
        });
        clickhouse.execute("INSERT INTO " + database + ".slo_minute (slo, group_value, minute, good, total, version)"
                + " VALUES " + String.join(",", rows));
    }

    /** The alert {@link #seedAlerts} leaves firing, and the target its page reached on the second attempt. */
    static final String FIRING_ALERT = "checkout-availability/page";
    static final String PAGER = "payments-pager";
    /** A latency rule's page, fired and resolved: what the rule observed, as the stream writes it. */
    static final String LATENCY_ALERT = "payments-latency/page";
    static final String SLOW_P99 =
            "map('quantile', 0.99, 'lookbackMillis', 300000, 'thresholdMillis', 300, 'observedMillis', 742.4, 'spans', 3000)";

    /**
     * Alert transitions and their deliveries as the stream and the delivery consumer write them ({@code alert_events},
     * {@code notifications}, docs/architecture.md): checkout-availability's page alert pending at now - 25 min and
     * firing at now - 20 min, its page sent to payments-pager on the second attempt (a 503, then a 202);
     * search-latency's ticket alert fired and resolved within the last hour, its resolve recorded as silenced;
     * payments-latency's latency page fired and resolved, with the p99 its rule observed.
     */
    void seedAlerts(Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MINUTES);
        long incident = at.minusSeconds(25 * 60).toEpochMilli();
        String rates = "map('5m', 20.5, '30m', 16.0, '1h', 15.25, '2h', 9.0, '6h', 4.5, '1d', 1.5, '3d', 0.75)";
        String calm = "map('5m', 0.5, '30m', 0.5, '1h', 0.9, '2h', 1.0, '6h', 3.2, '1d', 3.1, '3d', 1.2)";
        List<String> events = List.of(
                event(FIRING_ALERT, "checkout-availability", "payments", "checkout", "page", "pending", 1_000_001,
                        incident, at.minusSeconds(25 * 60), "burnrate>=14.4 over 1h and 5m", rates, 0.4),
                event(FIRING_ALERT, "checkout-availability", "payments", "checkout", "page", "firing", 1_000_002,
                        incident, at.minusSeconds(20 * 60), "burnrate>=14.4 over 1h and 5m", rates, 0.5),
                event("search-latency/ticket", "search-latency", "discovery", "search", "ticket", "firing", 1_000_001,
                        at.minusSeconds(50 * 60).toEpochMilli(), at.minusSeconds(50 * 60), "burnrate>=3 over 1d and 2h",
                        calm, 0.9),
                event("search-latency/ticket", "search-latency", "discovery", "search", "ticket", "resolved",
                        1_000_002, at.minusSeconds(50 * 60).toEpochMilli(), at.minusSeconds(10 * 60),
                        "burnrate>=3 over 1d and 2h", calm, 1.0),
                event(LATENCY_ALERT, "payments-latency", "payments", "payments", "page", "firing", 1_000_001,
                        at.minusSeconds(40 * 60).toEpochMilli(), at.minusSeconds(40 * 60), "p99>300ms over 5m", calm,
                        0.1, SLOW_P99),
                event(LATENCY_ALERT, "payments-latency", "payments", "payments", "page", "resolved", 1_000_002,
                        at.minusSeconds(40 * 60).toEpochMilli(), at.minusSeconds(30 * 60), "p99>300ms over 5m", calm,
                        0.1, SLOW_P99));
        clickhouse.execute("INSERT INTO " + database + ".alert_events (alert_id, slo, team, service, severity, state,"
                + " sequence, incident_id, at, rule, burn_rates, budget_consumed, notification_targets, latency) VALUES "
                + String.join(",", events));
        String incidentId = FIRING_ALERT + "/" + incident;
        List<String> deliveries = List.of(
                notification(FIRING_ALERT, 1_000_002, PAGER, 1, at.minusSeconds(20 * 60 - 1), "retry", 503,
                        "503 Service Unavailable", 412, incidentId, "firing", "checkout-availability", "payments", "page",
                        "pagerduty"),
                notification(FIRING_ALERT, 1_000_002, PAGER, 2, at.minusSeconds(20 * 60 - 3), "delivered", 202, "", 87,
                        incidentId, "firing", "checkout-availability", "payments", "page", "pagerduty"),
                notification("search-latency/ticket", 1_000_002, "discovery-slack", 0, at.minusSeconds(10 * 60),
                        "silenced", 0, "", 0, "search-latency/ticket/" + at.minusSeconds(50 * 60).toEpochMilli(),
                        "resolved", "search-latency", "discovery", "ticket", "slack"));
        clickhouse.execute("INSERT INTO " + database + ".notifications (alert_id, sequence, target, attempt, at, outcome,"
                + " status_code, error, latency_ms, incident_id, state, slo, team, severity, target_kind) VALUES "
                + String.join(",", deliveries));
    }

    private static String event(String alertId, String slo, String team, String service, String severity, String state,
            long sequence, long incidentStart, Instant at, String rule, String rates, double consumed) {
        return event(alertId, slo, team, service, severity, state, sequence, incidentStart, at, rule, rates, consumed,
                "map()");
    }

    private static String event(String alertId, String slo, String team, String service, String severity, String state,
            long sequence, long incidentStart, Instant at, String rule, String rates, double consumed, String latency) {
        return "('%s', '%s', '%s', '%s', '%s', '%s', %d, '%s', fromUnixTimestamp64Milli(%d, 'UTC'), '%s', %s, %s, ['%s'], %s)"
                .formatted(alertId, slo, team, service, severity, state, sequence,
                        alertId + "/" + incidentStart, at.toEpochMilli(), rule, rates, consumed,
                        team + (severity.equals("page") ? "-pager" : "-slack"), latency);
    }

    private static String notification(String alertId, long sequence, String target, int attempt, Instant at,
            String outcome, int status, String error, int latencyMs, String incidentId, String state, String slo,
            String team, String severity, String kind) {
        return "('%s', %d, '%s', %d, fromUnixTimestamp64Milli(%d, 'UTC'), '%s', %d, '%s', %d, '%s', '%s', '%s', '%s',"
                .formatted(alertId, sequence, target, attempt, at.toEpochMilli(), outcome, status, error, latencyMs,
                        incidentId, state, slo, team)
                + " '%s', '%s')".formatted(severity, kind);
    }

    /** {@link #SPANS_PER_MINUTE} spans a minute for checkout's POST /checkout (lognormal around 80 ms), one an error. */
    void seedLatency(Instant now) {
        Instant last = now.truncatedTo(ChronoUnit.MINUTES);
        Random random = new Random(42);
        List<String> rows = new ArrayList<>();
        for (int m = 1; m <= MINUTES; m++) {
            LatencyHistogram histogram = new LatencyHistogram();
            double sum = 0;
            for (int i = 0; i < SPANS_PER_MINUTE; i++) {
                double millis = Math.exp(Math.log(80) + 0.6 * random.nextGaussian());
                histogram.record(millis);
                sum += millis;
            }
            String buckets = histogram.buckets().entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(",", "{", "}"));
            rows.add("('checkout', 'POST /checkout', toDateTime(%d, 'UTC'), %d, 1, %f, %s, 1)".formatted(
                    last.minusSeconds(60L * m).getEpochSecond(), SPANS_PER_MINUTE, sum, buckets));
        }
        clickhouse.execute("INSERT INTO " + database + ".latency_minute (service, operation, minute, count, errors,"
                + " sum_ms, buckets, version) VALUES " + String.join(",", rows));
    }

    /** Service of the heatmap check: every span of one latency but a few slow ones, over the last hour. */
    static final String HEATMAP_SERVICE = "ledger";
    static final double HEATMAP_MILLIS = 42;
    static final double HEATMAP_SLOW_MILLIS = 900;
    static final int HEATMAP_MINUTES = 60;
    static final int HEATMAP_SPANS_PER_MINUTE = 50;
    static final int HEATMAP_SLOW_PER_MINUTE = 2;

    /**
     * {@link #HEATMAP_SPANS_PER_MINUTE} spans a minute for the last {@link #HEATMAP_MINUTES} minutes of
     * {@link #HEATMAP_SERVICE}: all at {@link #HEATMAP_MILLIS} but {@link #HEATMAP_SLOW_PER_MINUTE} at
     * {@link #HEATMAP_SLOW_MILLIS}, so the heatmap's hottest band must hold the first.
     */
    void seedHeatmapLatency(Instant now) {
        Instant last = now.truncatedTo(ChronoUnit.MINUTES);
        int fast = HEATMAP_SPANS_PER_MINUTE - HEATMAP_SLOW_PER_MINUTE;
        String buckets = "{%d:%d,%d:%d}".formatted(LatencyHistogram.bucketOf(HEATMAP_MILLIS), fast,
                LatencyHistogram.bucketOf(HEATMAP_SLOW_MILLIS), HEATMAP_SLOW_PER_MINUTE);
        double sum = fast * HEATMAP_MILLIS + HEATMAP_SLOW_PER_MINUTE * HEATMAP_SLOW_MILLIS;
        List<String> rows = new ArrayList<>();
        for (int m = 1; m <= HEATMAP_MINUTES; m++) {
            rows.add("('%s', 'GET /balance', toDateTime(%d, 'UTC'), %d, 0, %f, %s, 1)".formatted(HEATMAP_SERVICE,
                    last.minusSeconds(60L * m).getEpochSecond(), HEATMAP_SPANS_PER_MINUTE, sum, buckets));
        }
        clickhouse.execute("INSERT INTO " + database + ".latency_minute (service, operation, minute, count, errors,"
                + " sum_ms, buckets, version) VALUES " + String.join(",", rows));
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + path)).GET());
        if (response.statusCode() != 200) {
            throw new AssertionError(path + " -> " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
    }
}
