package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.slo.SloSettings;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Notification targets, silences, maintenance windows and the alerts read side through the API. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertingApiTest {

    static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
    private static final String TARGETS = "/api/v1/notification-targets";
    private static final String YAML = "application/yaml";
    private static final String JSON = "application/json";
    private static final String PAGER = """
            apiVersion: openslo/v1
            kind: AlertNotificationTarget
            metadata: {name: payments-pager, labels: {team: payments}}
            spec:
              target: pagerduty
              description: Payments on-call
              nines: {url: "https://events.pagerduty.com/v2/enqueue", routingKey: "pd-key-0123456789abcdef"}
            """;

    private EmbeddedClickHouse clickHouse;
    private String database;
    private QueryApi api;
    private ApiClient client;

    @BeforeAll
    void startApi(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        this.clickHouse = clickHouse;
        database = NinesInfra.uniqueName("alerting");
        String bootstrap = kafka.bootstrapServers();
        api = QueryApi.start(QueryApiConfig.local("127.0.0.1", 0, clickHouse.jdbcUrl(database), bootstrap)
                .withSlos(new SloSettings(bootstrap, NinesInfra.uniqueName("slo_definitions"), Optional.empty(),
                        "nines-streaming")), InstantSource.fixed(NOW));
        client = new ApiClient(api.url());
    }

    @AfterAll
    void stopApi() {
        api.close();
    }

    @Test
    void storesTargetsAndShowsThemWithoutSecrets() {
        HttpResponse<String> created = client.send("POST", TARGETS, YAML, PAGER);

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains(TARGETS + "/payments-pager");
        JsonNode target = ApiClient.json(client.get(TARGETS + "/payments-pager"));
        assertThat(target.get("team").asText()).isEqualTo("payments");
        assertThat(target.get("target").asText()).isEqualTo("pagerduty");
        assertThat(target.get("version").asLong()).isEqualTo(1);
        assertThat(target.get("changedAt").asText()).isEqualTo("2026-03-15T12:00:00Z");
        assertThat(target.at("/document/spec/nines/routingKey").asText()).isEqualTo("***");
        assertThat(target.at("/document/spec/nines/url").asText()).isEqualTo("https://events.pagerduty.com/…");
        assertThat(target.at("/document/spec/nines/severities").toString()).isEqualTo("[\"page\",\"ticket\"]");
        assertThat(client.get(TARGETS).body()).doesNotContain("pd-key-0123456789abcdef", "/v2/enqueue")
                .contains("payments-pager");

        HttpResponse<String> replaced = client.send("PUT", TARGETS + "/payments-pager", YAML,
                PAGER.replace("Payments on-call", "Payments primary"));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(replaced).get("version").asLong()).isEqualTo(2);
        assertThat(client.send("POST", TARGETS, YAML, PAGER).statusCode()).isEqualTo(409);
        assertThat(client.delete(TARGETS + "/payments-pager").statusCode()).isEqualTo(204);
        assertThat(client.get(TARGETS + "/payments-pager").statusCode()).isEqualTo(404);
    }

    @Test
    void refusesInvalidTargetsNamingEveryFieldWithoutEchoingSecrets() {
        String broken = """
                apiVersion: openslo/v1
                kind: AlertNotificationTarget
                metadata: {name: Bad_Name}
                spec:
                  target: carrier-pigeon
                  nines: {url: "ftp://secret-host/hook-token", severities: [page, urgent], headers: {Host: x}}
                """;
        HttpResponse<String> response = client.send("POST", TARGETS, YAML, broken);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode errors = ApiClient.json(response).get("errors");
        assertThat(errors.findValuesAsText("path")).contains("metadata.labels.team", "spec.target", "spec.nines.url",
                "spec.nines.severities[1]", "spec.nines.headers.Host");
        assertThat(response.body()).doesNotContain("hook-token");
        assertThat(client.send("POST", TARGETS, YAML, PAGER.replace("routingKey: \"pd-key-0123456789abcdef\"",
                "severities: [page]")).statusCode()).isEqualTo(400);
        assertThat(client.send("POST", TARGETS, "text/plain", PAGER).statusCode()).isEqualTo(415);
        assertThat(client.send("POST", TARGETS, YAML, "a: " + "x".repeat(1 << 20)).statusCode()).isEqualTo(413);
        assertThat(client.send("POST", TARGETS, YAML, "[[[[").statusCode()).isEqualTo(400);
    }

    @Test
    void createsListsAndExpiresSilences() {
        HttpResponse<String> created = client.send("POST", "/api/v1/silences", JSON, """
                {"match": {"service": "checkout", "team": "payments"}, "startsAt": "2026-03-15T11:00:00Z",
                 "endsAt": "2026-03-15T13:00:00Z", "comment": "release 42"}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode silence = ApiClient.json(created);
        assertThat(silence.get("state").asText()).isEqualTo("active");
        assertThat(silence.get("kind").asText()).isEqualTo("silence");
        String id = silence.get("id").asText();
        HttpResponse<String> weekly = client.send("POST", "/api/v1/silences", JSON, """
                {"kind": "maintenance", "match": {"slo": "nightly"},
                 "weekly": {"days": ["SAT", "SUN"], "from": "02:00", "to": "04:00", "timeZone": "Europe/Berlin"}}""");
        assertThat(weekly.statusCode()).as(weekly.body()).isEqualTo(201);
        assertThat(ApiClient.json(weekly).at("/weekly/days").toString()).isEqualTo("[\"SAT\",\"SUN\"]");

        assertThat(ApiClient.json(client.get("/api/v1/silences")).get("silences").findValuesAsText("id"))
                .contains(id);
        assertThat(client.delete("/api/v1/silences/" + id).statusCode()).isEqualTo(204);
        assertThat(ApiClient.json(client.get("/api/v1/silences")).get("silences").findValuesAsText("id"))
                .doesNotContain(id);
        assertThat(ApiClient.json(client.get("/api/v1/silences?state=all")).get("silences").findValuesAsText("id"))
                .contains(id);
        assertThat(client.delete("/api/v1/silences/no-such-id").statusCode()).isEqualTo(404);

        HttpResponse<String> invalid = client.send("POST", "/api/v1/silences", JSON, """
                {"kind": "silence", "match": {}, "startsAt": "yesterday", "excludeFromBudget": true,
                 "weekly": {"days": ["FUNDAY"], "from": "04:00", "to": "02:00", "timeZone": "Mars/Olympus"}}""");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(client.send("POST", "/api/v1/silences", JSON, "{\"match\": [").statusCode()).isEqualTo(400);
        assertThat(client.send("POST", "/api/v1/silences", JSON, "[1, 2]").statusCode()).isEqualTo(400);
        assertThat(client.send("POST", "/api/v1/silences", YAML, "match: {slo: x}").statusCode()).isEqualTo(415);
        assertThat(client.send("POST", "/api/v1/silences", JSON, "{\"match\": {\"slo\": \"<script>\"},"
                + " \"endsAt\": \"2026-03-16T00:00:00Z\"}").statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(invalid).get("errors").findValuesAsText("path")).contains("match", "startsAt",
                "excludeFromBudget", "weekly.days[0]", "weekly.timeZone");
    }

    @Test
    void aMaintenanceWindowTakesItsMinutesOutOfTheBudget() throws Exception {
        assertThat(client.send("POST", "/api/v1/slos", YAML, SloDocs.availability("maint", "payments", "checkout",
                0.99, "30d")).statusCode()).isEqualTo(201);
        SloMinutes minutes = new SloMinutes().add("maint", Instant.parse("2026-03-15T10:00:00Z"), 100, 100)
                .add("maint", Instant.parse("2026-03-15T11:00:00Z"), 100, 100);
        for (int i = 0; i < 10; i++) {
            minutes.add("maint", Instant.parse("2026-03-15T10:30:00Z").plusSeconds(60L * i), 50, 100);
        }
        minutes.insert(clickHouse.jdbcUrl(database));
        JsonNode before = ApiClient.json(client.get("/api/v1/slos/maint/status"));
        assertThat(before.get("good").asLong()).isEqualTo(700);
        assertThat(before.get("total").asLong()).isEqualTo(1200);
        assertThat(before.has("maintenanceExcluded")).isFalse();

        HttpResponse<String> window = client.send("POST", "/api/v1/silences", JSON, """
                {"kind": "maintenance", "excludeFromBudget": true, "match": {"slo": "maint"},
                 "startsAt": "2026-03-15T10:29:30Z", "endsAt": "2026-03-15T10:40:00Z"}""");
        assertThat(window.statusCode()).as(window.body()).isEqualTo(201);

        JsonNode after = ApiClient.json(client.get("/api/v1/slos/maint/status"));
        assertThat(after.get("good").asLong()).isEqualTo(200);
        assertThat(after.get("total").asLong()).isEqualTo(200);
        assertThat(after.at("/errorBudget/consumed").asLong()).isZero();
        assertThat(after.at("/maintenanceExcluded/minutes").asLong()).isEqualTo(10);
    }

    @Test
    void batchStatusesSkipTheSameMaintenanceMinutesAsEachSlosOwnStatus() throws Exception {
        for (String slo : List.of(SloDocs.availability("vault-30d", "vault", "vault", 0.99, "30d"),
                SloDocs.availability("vault-7d", "vault", "vault-db", 0.999, "7d"),
                SloDocs.availability("vault-untouched", "vault", "vault-ui", 0.99, "30d"))) {
            assertThat(client.send("POST", "/api/v1/slos", YAML, slo).statusCode()).isEqualTo(201);
        }
        SloMinutes minutes = new SloMinutes();
        for (String slo : List.of("vault-30d", "vault-7d", "vault-untouched")) {
            for (int i = 0; i < 30; i++) {
                minutes.add(slo, Instant.parse("2026-03-15T09:00:00Z").plusSeconds(60L * i), 90, 100);
            }
            minutes.add(slo, Instant.parse("2026-03-01T09:00:00Z"), 10, 1000);
        }
        minutes.insert(clickHouse.jdbcUrl(database));
        // Different stretches for different SLOs, one matched by name and one by service, overlapping each other.
        for (String silence : List.of("""
                {"kind": "maintenance", "excludeFromBudget": true, "match": {"slo": "vault-30d"},
                 "startsAt": "2026-03-15T09:10:00Z", "endsAt": "2026-03-15T09:20:00Z"}""", """
                {"kind": "maintenance", "excludeFromBudget": true, "match": {"service": "vault-db"},
                 "startsAt": "2026-03-15T09:15:30Z", "endsAt": "2026-03-15T09:40:00Z"}""", """
                {"kind": "maintenance", "excludeFromBudget": true, "match": {"slo": "vault-30d"},
                 "startsAt": "2026-03-15T09:18:00Z", "endsAt": "2026-03-15T09:25:00Z"}""")) {
            assertThat(client.send("POST", "/api/v1/silences", JSON, silence).statusCode()).isEqualTo(201);
        }

        JsonNode batch = ApiClient.json(client.get("/api/v1/slo-statuses?team=vault&limit=500"));

        assertThat(batch.get("statuses").findValuesAsText("name"))
                .containsExactly("vault-30d", "vault-7d", "vault-untouched");
        for (JsonNode status : batch.get("statuses")) {
            assertThat(status).as(status.get("name").asText())
                    .isEqualTo(ApiClient.json(client.get("/api/v1/slos/" + status.get("name").asText() + "/status")));
        }
        JsonNode thirty = batch.get("statuses").get(0);
        assertThat(thirty.get("total").asLong()).isEqualTo(1000 + 15 * 100);
        assertThat(thirty.at("/maintenanceExcluded/minutes").asLong()).isEqualTo(15);
        JsonNode seven = batch.get("statuses").get(1);
        assertThat(seven.get("total").asLong()).isEqualTo(16 * 100);
        assertThat(seven.at("/maintenanceExcluded/minutes").asLong()).isEqualTo(24);
        JsonNode untouched = batch.get("statuses").get(2);
        assertThat(untouched.get("total").asLong()).isEqualTo(1000 + 30 * 100);
        assertThat(untouched.has("maintenanceExcluded")).isFalse();
    }

    @Test
    void listsAlertsByLatestStateAndShowsTheirTimeline() {
        String table = database + ".alert_events";
        String rates = "{'5m':20.5,'1h':15.25}";
        // the columns before V021 (rows written by a stream without latency rules): their latency is empty
        String columns = " (alert_id, slo, team, service, severity, state, sequence, incident_id, at, rule, burn_rates,"
                + " budget_consumed, notification_targets)";
        clickHouse.execute("INSERT INTO " + table + columns + " VALUES"
                + " ('api/page','api','payments','checkout','page','pending',1,'api/page/1000','2026-03-15 11:00:00',"
                + "'burnrate>=14.4 over 1h and 5m'," + rates + ",0.01,['payments-pager']),"
                + " ('api/page','api','payments','checkout','page','firing',2,'api/page/1000','2026-03-15 11:02:00',"
                + "'burnrate>=14.4 over 1h and 5m'," + rates + ",0.02,['payments-pager']),"
                + " ('db/ticket','db','storage','postgres','ticket','firing',1,'db/ticket/2000','2026-03-15 10:00:00',"
                + "'burnrate>=3 over 1d and 2h'," + rates + ",0.3,[]),"
                + " ('db/ticket','db','storage','postgres','ticket','resolved',2,'db/ticket/2000','2026-03-15 10:30:00',"
                + "'burnrate>=3 over 1d and 2h'," + rates + ",0.31,[])");
        // A replay re-emits a transition with the sequence it had: it must not show twice.
        clickHouse.execute("INSERT INTO " + table + columns
                + " VALUES ('api/page','api','payments','checkout','page','firing',"
                + "2,'api/page/1000','2026-03-15 11:02:00','burnrate>=14.4 over 1h and 5m'," + rates
                + ",0.02,['payments-pager'])");

        JsonNode firing = ApiClient.json(client.get("/api/v1/alerts")).get("alerts");
        assertThat(firing.findValuesAsText("alertId")).containsExactly("api/page");
        assertThat(firing.get(0).at("/burnRates/1h").asDouble()).isEqualTo(15.25);
        assertThat(firing.get(0).get("budgetConsumed").asDouble()).isEqualTo(0.02);
        assertThat(firing.get(0).get("at").asText()).isEqualTo("2026-03-15T11:02:00Z");
        assertThat(ApiClient.json(client.get("/api/v1/alerts?state=resolved")).get("alerts")
                .findValuesAsText("alertId")).containsExactly("db/ticket");
        assertThat(ApiClient.json(client.get("/api/v1/alerts?state=all&team=storage")).get("alerts")
                .findValuesAsText("alertId")).containsExactly("db/ticket");

        JsonNode timeline = ApiClient.json(client.get("/api/v1/alerts/api/page"));
        assertThat(timeline.get("alertId").asText()).isEqualTo("api/page");
        assertThat(timeline.get("transitions").findValuesAsText("state")).containsExactly("pending", "firing");
        assertThat(timeline.get("transitions").findValuesAsText("budgetConsumed")).containsExactly("0.01", "0.02");
        assertThat(timeline.get("transitions").get(0).has("latency")).isFalse();
        assertThat(client.get("/api/v1/alerts/nothing/page").statusCode()).isEqualTo(404);
        assertThat(client.get("/api/v1/alerts?state=burning").statusCode()).isEqualTo(400);
        assertThat(client.get("/api/v1/notifications?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void showsWhatALatencyRuleObserved() {
        clickHouse.execute("INSERT INTO " + database + ".alert_events VALUES ('slow/page','slow','payments','checkout',"
                + "'page','pending',1000001,'slow/page/1000','2026-03-15 12:00:00','p99>300ms over 5m',{'5m':0.0},0,"
                + "['payments-pager'],{'quantile':0.99,'lookbackMillis':300000,'thresholdMillis':300,"
                + "'observedMillis':798.5,'spans':3000})");

        // pending (a rule with alertAfter), so that the other tests' firing and resolved lists stay theirs
        JsonNode alert = ApiClient.json(client.get("/api/v1/alerts?state=pending&slo=slow")).get("alerts").get(0);
        assertThat(alert.get("rule").asText()).isEqualTo("p99>300ms over 5m");
        assertThat(alert.get("latency").toString()).isEqualTo("{\"quantile\":0.99,\"lookbackMillis\":300000,"
                + "\"thresholdMillis\":300.0,\"observedMillis\":798.5,\"spans\":3000}");
    }
}
