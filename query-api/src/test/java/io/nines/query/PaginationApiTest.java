package io.nines.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every list of the API pages the same way: {@code limit}, an opaque {@code cursor}, {@code nextCursor} while more
 * follow. Lists longer than a page, with ties in their sort order, come back whole by following the cursors: every
 * item once, in order.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaginationApiTest {

    private static final String YAML = "application/yaml";
    private static final String JSON = "application/json";

    private AuthenticatedApi api;
    private ApiClient admin;
    private EmbeddedClickHouse clickHouse;
    /** A minute all tied rows share: recent, so the notification log's 90-day TTL keeps them. */
    private final Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(1, ChronoUnit.HOURS);

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka, @TempDir Path home) {
        this.clickHouse = clickHouse;
        api = AuthenticatedApi.start(clickHouse, kafka, home, InstantSource.system(),
                config -> config.withResilience(config.resilience().withRequestsPerSecond(100_000)));
        admin = api.admin();
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void servicesComeBackWholeByFollowingCursors() {
        String values = String.join(",", IntStream.range(0, 7).mapToObj(i -> "('svc-" + i + "','GET /','"
                + sqlTime(minute) + "',1,0,1.0,{1:1},1)").toList());
        clickHouse.execute("INSERT INTO " + api.database + ".latency_minute VALUES " + values);

        assertThat(all("/api/v1/services", "services", 3, item -> item.get("name").asText()))
                .containsExactly("svc-0", "svc-1", "svc-2", "svc-3", "svc-4", "svc-5", "svc-6");
    }

    @Test
    void notificationTargetsAndSlosComeBackWholeByFollowingCursors() {
        List<String> names = IntStream.range(0, 7).mapToObj(i -> "pager-" + i).toList();
        for (String name : names) {
            assertThat(admin.send("POST", "/api/v1/notification-targets", YAML, """
                    apiVersion: openslo/v1
                    kind: AlertNotificationTarget
                    metadata: {name: %s, labels: {team: paging}}
                    spec: {target: webhook, nines: {url: "https://hooks.example.com/%s"}}
                    """.formatted(name, name)).statusCode()).isEqualTo(201);
        }
        assertThat(all("/api/v1/notification-targets?team=paging", "notificationTargets", 2,
                item -> item.get("name").asText())).containsExactlyElementsOf(names);

        for (int version = 1; version <= 5; version++) {
            assertThat(admin.send("PUT", "/api/v1/slos/paged", YAML,
                    SloDocs.availability("paged", "paging", "checkout", 0.9 + version / 100.0, "1h")).statusCode())
                    .isIn(200, 201);
        }
        assertThat(all("/api/v1/slos/paged/versions", "versions", 2, item -> item.get("version").asText()))
                .containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void silencesComeBackWholeNewestFirstByFollowingCursors() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> created = admin.send("POST", "/api/v1/silences", JSON, """
                    {"match": {"service": "paged-%d", "team": "silenced"}, "endsAt": "2099-01-01T00:00:00Z"}"""
                    .formatted(i));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            ids.add(ApiClient.json(created).get("id").asText());
        }
        // One expired silence in the middle of the order: the active list skips it and still fills its pages.
        assertThat(admin.delete("/api/v1/silences/" + ids.get(3)).statusCode()).isEqualTo(204);

        List<String> active = all("/api/v1/silences?team=silenced", "silences", 2, item -> item.get("id").asText());
        List<String> every = all("/api/v1/silences?team=silenced&state=all", "silences", 3,
                item -> item.get("id").asText());

        assertThat(every).hasSize(7).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(active).containsExactlyElementsOf(every.stream().filter(id -> !id.equals(ids.get(3))).toList());
    }

    @Test
    void alertsTheirTimelineAndTheNotificationLogComeBackWholeByFollowingCursors() {
        String at = sqlTime(minute);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Five alerts at the same instant: ties broken by alert id.
            rows.add("('tied-" + i + "/page','tied-" + i + "','paging','checkout','page','firing',1,'x','" + at
                    + "','r',{'5m':1.0},0.1,[])");
        }
        for (int sequence = 1; sequence <= 5; sequence++) {
            rows.add("('long/page','long','paging','checkout','page','" + (sequence % 2 == 0 ? "resolved" : "firing")
                    + "'," + sequence + ",'x','" + sqlTime(minute.minus(10 - sequence, ChronoUnit.MINUTES))
                    + "','r',{'5m':1.0},0.1,[])");
        }
        clickHouse.execute("INSERT INTO " + api.database + ".alert_events (alert_id, slo, team, service, severity,"
                + " state, sequence, incident_id, at, rule, burn_rates, budget_consumed, notification_targets) VALUES "
                + String.join(",", rows));
        List<String> notifications = new ArrayList<>();
        for (String target : List.of("a", "b", "c")) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                // Every attempt at the same instant: the order's later columns tell them apart.
                notifications.add("('noted/page',1,'" + target + "'," + attempt + ",'" + at + "','retry',500,'',5,"
                        + "'x','firing','noted','paging','page','webhook')");
            }
        }
        clickHouse.execute("INSERT INTO " + api.database + ".notifications VALUES " + String.join(",", notifications));

        assertThat(all("/api/v1/alerts?state=all&team=paging", "alerts", 2, item -> item.get("alertId").asText()))
                .containsExactly("tied-0/page", "tied-1/page", "tied-2/page", "tied-3/page", "tied-4/page",
                        "long/page");
        assertThat(all("/api/v1/alerts/long/page", "transitions", 2, item -> item.get("sequence").asText()))
                .containsExactly("1", "2", "3", "4", "5");
        assertThat(all("/api/v1/notifications?alertId=noted/page", "notifications", 4,
                item -> item.get("target").asText() + item.get("attempt").asText()))
                .containsExactly("c2", "b2", "a2", "c1", "b1", "a1");
    }

    @Test
    void tokensComeBackWholeByFollowingCursors() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(api.token("paging", "viewer").id());
        }
        List<String> listed = all("/api/v1/tokens", "tokens", 2, item -> item.get("id").asText());
        assertThat(listed).doesNotHaveDuplicates().containsAll(ids).isSorted();
    }

    @Test
    void aLimitBeyondTheMaximumOrACursorNotOfThisApiIsA400NamingTheParameter() {
        for (String list : List.of("/api/v1/services", "/api/v1/notification-targets", "/api/v1/silences",
                "/api/v1/alerts", "/api/v1/alerts/long/page", "/api/v1/notifications", "/api/v1/slos",
                "/api/v1/tokens")) {
            HttpResponse<String> tooMany = admin.get(list + "?limit=1001");
            assertThat(tooMany.statusCode()).as(list).isEqualTo(400);
            assertThat(ApiClient.json(tooMany).get("parameter").asText()).isEqualTo("limit");
            assertThat(ApiClient.json(tooMany).get("detail").asText()).isEqualTo(
                    "limit must be an integer within [1, 1000], was '1001'");
            HttpResponse<String> forged = admin.get(list + "?cursor=bm90LWEtY3Vyc29y");
            assertThat(forged.statusCode()).as(list).isEqualTo(400);
            assertThat(ApiClient.json(forged).get("parameter").asText()).isEqualTo("cursor");
        }
        HttpResponse<String> batch = admin.get("/api/v1/slo-statuses?limit=501");
        assertThat(batch.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(batch).get("detail").asText()).isEqualTo(
                "limit must be an integer within [1, 500], was '501'");
    }

    /** Follows nextCursor from the first page of {@code limit} to the last, collecting each item's key. */
    private List<String> all(String list, String field, int limit, Function<JsonNode, String> key) {
        List<String> keys = new ArrayList<>();
        String separator = list.contains("?") ? "&" : "?";
        String cursor = null;
        int pages = 0;
        do {
            HttpResponse<String> response = admin.get(list + separator + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(response.statusCode()).as(list + ": " + response.body()).isEqualTo(200);
            JsonNode page = ApiClient.json(response);
            assertThat(page.get(field).size()).isLessThanOrEqualTo(limit);
            page.get(field).forEach(item -> keys.add(key.apply(item)));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            if (cursor != null) {
                assertThat(page.get(field).size()).as("a page before the last is full").isEqualTo(limit);
            }
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(keys).doesNotHaveDuplicates();
        return keys;
    }

    private static String sqlTime(Instant instant) {
        return instant.toString().replace("T", " ").replace("Z", "");
    }
}
