package io.nines.query;

import static io.nines.core.alerting.AlertTransition.State.FIRING;
import static io.nines.core.alerting.AlertTransition.State.PENDING;
import static io.nines.core.alerting.AlertTransition.State.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.Severity;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.delivery.DeliverySettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Alert transitions on the topic become pages at fake PagerDuty, Slack and webhook receivers. */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertDeliveryTest {

    private static final String YAML = "application/yaml";
    private static final String ROUTING_KEY = "R0UT1NGKEYsecret0000000000000042";
    private static final String WEBHOOK_TOKEN = "Bearer webhook-secret-7d1e";

    private final FakeReceiver receiver = new FakeReceiver();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private QueryApi api;
    private ApiClient client;
    private Transitions transitions;
    private Instant now;

    @BeforeAll
    void start(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        String topic = NinesInfra.uniqueName("alerts");
        kafka.createTopic(topic, 2);
        QueryApiConfig local = QueryApiConfig.local("127.0.0.1", 0,
                clickHouse.jdbcUrl(NinesInfra.uniqueName("delivery")), kafka.bootstrapServers());
        api = QueryApi.start(local.withDelivery(settings(kafka.bootstrapServers(), topic)), InstantSource.system());
        client = new ApiClient(api.url());
        transitions = new Transitions(kafka.bootstrapServers(), topic);
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    static DeliverySettings settings(String bootstrap, String topic) {
        return new DeliverySettings(true, bootstrap, "https://nines.example.com", topic,
                NinesInfra.uniqueName("delivery"), Duration.ofMillis(700), 6, Duration.ofMillis(100),
                Duration.ofMillis(400), Duration.ofSeconds(5), 3, Duration.ofSeconds(30), 2, 1000);
    }

    @AfterAll
    void stop() {
        transitions.close();
        api.close();
        receiver.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void pagesPagerDutyOnceAndResolvesTheSameIncident() {
        createTarget("pd-once", "payments", "pagerduty", "/pagerduty/once", "");
        Instant start = now.minusSeconds(120);
        transitions.publish(
                Transitions.of("once", "payments", Severity.PAGE, PENDING, 1, start, start, List.of("pd-once")),
                Transitions.of("once", "payments", Severity.PAGE, FIRING, 2, start, start.plusSeconds(60),
                        List.of("pd-once")),
                Transitions.of("once", "payments", Severity.PAGE, RESOLVED, 3, start, start.plusSeconds(90),
                        List.of("pd-once")));

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("/pagerduty/once").size() >= 2);

        List<JsonNode> events = receiver.received("/pagerduty/once").stream().map(FakeReceiver.Received::json).toList();
        assertThat(events).hasSize(2);
        JsonNode trigger = events.get(0);
        assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.get("routing_key").asText()).isEqualTo(ROUTING_KEY);
        assertThat(trigger.get("dedup_key").asText()).isEqualTo("once/page/" + start.toEpochMilli());
        assertThat(trigger.at("/payload/severity").asText()).isEqualTo("critical");
        assertThat(trigger.at("/payload/source").asText()).isEqualTo("nines/checkout");
        assertThat(trigger.at("/payload/summary").asText()).contains("once", "burnrate>=14.4 over 1h and 5m");
        assertThat(trigger.at("/payload/custom_details/burnRates/1h").asDouble()).isEqualTo(15.25);
        assertThat(trigger.at("/payload/custom_details/budgetConsumed").asDouble()).isEqualTo(0.125);
        assertThat(events.get(1).get("event_action").asText()).isEqualTo("resolve");
        assertThat(events.get(1).get("dedup_key").asText()).isEqualTo(trigger.get("dedup_key").asText());

        JsonNode attempts = notifications("once/page", "pd-once");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.findValuesAsText("outcome")).containsExactly("delivered", "delivered");
        assertThat(attempts.findValuesAsText("state")).containsExactly("resolved", "firing");
        assertThat(attempts.get(0).get("statusCode").asInt()).isEqualTo(202);
    }

    @Test
    void retriesThroughAnErrorATimeoutAndA429UntilThePageArrivesOnce() {
        createTarget("pd-flaky", "payments", "pagerduty", "/pagerduty/flaky", "");
        receiver.script("/pagerduty/flaky", FakeReceiver.Answer.status(500), FakeReceiver.Answer.hang(),
                FakeReceiver.Answer.retryAfter(429, 1));
        transitions.publish(Transitions.of("flaky", "payments", Severity.PAGE, FIRING, 1, now, now,
                List.of("pd-flaky")));

        await().atMost(Duration.ofSeconds(20)).until(() -> notifications("flaky/page", "pd-flaky").findValuesAsText(
                "outcome").contains("delivered"));

        JsonNode attempts = notifications("flaky/page", "pd-flaky");
        assertThat(attempts.findValuesAsText("attempt")).containsExactly("4", "3", "2", "1");
        assertThat(attempts.findValuesAsText("outcome")).containsExactly("delivered", "retry", "retry", "retry");
        assertThat(attempts.findValuesAsText("statusCode")).containsExactly("202", "429", "0", "500");
        assertThat(attempts.get(2).get("error").asText()).startsWith("timed out");
        // The 429 asked for one second; the attempt after it waited at least that long.
        Instant after429 = Instant.parse(attempts.get(0).get("at").asText());
        Instant the429 = Instant.parse(attempts.get(1).get("at").asText());
        assertThat(Duration.between(the429, after429)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(receiver.received("/pagerduty/flaky").stream()
                .filter(r -> r.json().get("event_action").asText().equals("trigger"))).hasSize(4 - 1);
    }

    @Test
    void aTargetThatIsDownTripsItsBreakerWithoutDelayingAnother() {
        createTarget("hook-down", "payments", "webhook", "/hook/down", "");
        createTarget("pd-healthy", "payments", "pagerduty", "/pagerduty/healthy", "");
        receiver.always("/hook/down", FakeReceiver.Answer.status(503));
        Instant published = Instant.now();
        transitions.publish(Transitions.of("down", "payments", Severity.PAGE, FIRING, 1, now, now,
                List.of("hook-down", "pd-healthy")));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.received("/pagerduty/healthy").size() == 1);
        assertThat(Duration.between(published, receiver.received("/pagerduty/healthy").get(0).at()))
                .isLessThan(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(20)).until(() -> notifications("down/page", "hook-down")
                .findValuesAsText("outcome").contains("failed"));
        JsonNode attempts = notifications("down/page", "hook-down");
        assertThat(attempts).hasSize(6);
        assertThat(receiver.received("/hook/down")).hasSize(3);
        assertThat(attempts.get(0).get("error").asText()).startsWith("circuit breaker open");
        assertThat(attempts.findValuesAsText("statusCode")).containsExactly("0", "0", "0", "503", "503", "503");
    }

    @Test
    void aSilencedAlertIsRecordedButNotDelivered() {
        createTarget("pd-silenced", "payments", "pagerduty", "/pagerduty/silenced", "");
        HttpResponse<String> silence = client.send("POST", "/api/v1/silences", "application/json",
                "{\"match\":{\"slo\":\"silenced\"},\"startsAt\":\"" + now.minusSeconds(3600) + "\",\"endsAt\":\""
                        + now.plusSeconds(3600) + "\",\"comment\":\"deploy\"}");
        assertThat(silence.statusCode()).isEqualTo(201);
        String id = ApiClient.json(silence).get("id").asText();
        transitions.publish(Transitions.of("silenced", "payments", Severity.PAGE, FIRING, 1, now, now,
                List.of("pd-silenced")));

        await().atMost(Duration.ofSeconds(20)).until(() -> notifications("silenced/page", "pd-silenced").size() == 1);
        JsonNode row = notifications("silenced/page", "pd-silenced").get(0);
        assertThat(row.get("outcome").asText()).isEqualTo("silenced");
        assertThat(row.get("error").asText()).isEqualTo("silence " + id);
        assertThat(receiver.received("/pagerduty/silenced")).isEmpty();
    }

    @Test
    void routesOnlyToTargetsOfTheAlertsTeamThatTakeItsSeverity() {
        createTarget("slack-tickets", "payments", "slack", "/slack/tickets", "severities: [ticket]");
        createTarget("slack-pages", "payments", "slack", "/slack/pages", "severities: [page]");
        createTarget("hook-other-team", "search", "webhook", "/hook/other", "");
        transitions.publish(Transitions.of("routed", "payments", Severity.TICKET, FIRING, 1, now, now,
                List.of("slack-tickets", "slack-pages", "hook-other-team", "no-such-target")));

        await().atMost(Duration.ofSeconds(20)).until(() -> notifications("routed/ticket", "").size() == 4);
        assertThat(receiver.received("/slack/tickets")).hasSize(1);
        assertThat(receiver.received("/slack/pages")).isEmpty();
        assertThat(receiver.received("/hook/other")).isEmpty();
        assertThat(notifications("routed/ticket", "slack-pages").get(0).get("error").asText())
                .isEqualTo("the target takes [page] alerts, not ticket");
        assertThat(notifications("routed/ticket", "hook-other-team").get(0).get("error").asText())
                .isEqualTo("the target belongs to team 'search', the alert to team 'payments'");
        assertThat(notifications("routed/ticket", "no-such-target").get(0).get("outcome").asText())
                .isEqualTo("skipped");
    }

    @Test
    void slackGetsBlocksAndWebhooksGetTheAlertmanagerPayload() {
        createTarget("slack-shape", "payments", "slack", "/slack/shape", "");
        createTarget("hook-shape", "payments", "webhook", "/hook/shape",
                "headers: {Authorization: \"" + WEBHOOK_TOKEN + "\"}");
        Instant start = now.minusSeconds(300);
        transitions.publish(Transitions.of("shape", "payments", Severity.PAGE, FIRING, 1, start, now,
                List.of("slack-shape", "hook-shape")));

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("/slack/shape").size() == 1
                && receiver.received("/hook/shape").size() == 1);

        JsonNode slack = receiver.received("/slack/shape").get(0).json();
        assertThat(slack.get("text").asText()).startsWith(":rotating_light: FIRING shape (page): SLO shape");
        assertThat(slack.get("blocks").findValuesAsText("type")).contains("header", "section", "context");
        assertThat(slack.at("/blocks/1/text/text").asText()).contains("`burnrate&gt;=14.4 over 1h and 5m`");
        assertThat(slack.at("/blocks/2/fields")).hasSize(7);
        assertThat(slack.at("/blocks/2/fields/2/text").asText()).isEqualTo("*Burn rate 1h*\n15.25");

        FakeReceiver.Received hook = receiver.received("/hook/shape").get(0);
        assertThat(hook.header("Authorization")).isEqualTo(WEBHOOK_TOKEN);
        JsonNode am = hook.json();
        assertThat(am.get("version").asText()).isEqualTo("4");
        assertThat(am.get("status").asText()).isEqualTo("firing");
        assertThat(am.get("receiver").asText()).isEqualTo("hook-shape");
        assertThat(am.get("groupKey").asText()).isEqualTo("{}:{alertname=\"shape\", severity=\"page\"}");
        assertThat(am.get("externalURL").asText()).isEqualTo("https://nines.example.com");
        assertThat(am.at("/groupLabels/alertname").asText()).isEqualTo("shape");
        assertThat(am.at("/commonLabels/team").asText()).isEqualTo("payments");
        assertThat(am.get("alerts")).hasSize(1);
        JsonNode alert = am.at("/alerts/0");
        assertThat(alert.get("status").asText()).isEqualTo("firing");
        assertThat(alert.at("/labels/severity").asText()).isEqualTo("page");
        assertThat(alert.at("/annotations/burn_rate_1h").asText()).isEqualTo("15.250");
        assertThat(alert.get("startsAt").asText()).isEqualTo(start.toString());
        assertThat(alert.get("endsAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(alert.get("generatorURL").asText()).isEqualTo("https://nines.example.com/slos/shape");
        assertThat(alert.get("fingerprint").asText()).hasSize(16);
    }

    @Test
    void skipsRecordsThatAreNotTransitionsAndDeliversTheNext() {
        createTarget("pd-garbage", "payments", "pagerduty", "/pagerduty/garbage", "");
        transitions.publishRaw("garbage/page", "{\"alertId\":\"garbage/page\",\"sequence\":\"many\"".getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        transitions.publishRaw("garbage/page", new byte[] {(byte) 0xff, 0, 1});
        transitions.publish(Transitions.of("garbage", "payments", Severity.PAGE, FIRING, 1, now, now,
                List.of("pd-garbage")));

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("/pagerduty/garbage").size() == 1);
        assertThat(client.get("/metrics").body()).contains("nines_delivery_undecodable_transitions_total 2.0");
    }

    @Test
    void secretsNeverAppearInAnswersOrLogs() {
        createTarget("pd-secret", "payments", "pagerduty", "/pagerduty/secret-path-a1b2", "");
        createTarget("hook-secret", "payments", "webhook", "/hook/secret-path-c3d4",
                "headers: {Authorization: \"" + WEBHOOK_TOKEN + "\"}");
        receiver.always("/hook/secret-path-c3d4", FakeReceiver.Answer.status(400));
        transitions.publish(Transitions.of("secret", "payments", Severity.PAGE, FIRING, 1, now, now,
                List.of("pd-secret", "hook-secret")));
        await().atMost(Duration.ofSeconds(20)).until(() -> notifications("secret/page", "").size() == 2);

        List<String> answers = List.of(client.get("/api/v1/notification-targets").body(),
                client.get("/api/v1/notification-targets/pd-secret").body(),
                client.get("/api/v1/notification-targets/hook-secret").body(),
                client.get("/api/v1/notifications?alertId=secret/page").body());
        JsonNode shown = ApiClient.json(client.get("/api/v1/notification-targets/pd-secret"));
        assertThat(shown.at("/document/spec/nines/routingKey").asText()).isEqualTo("***");
        assertThat(shown.at("/document/spec/nines/url").asText()).isEqualTo("http://127.0.0.1:"
                + receiver.url("/").getPort() + "/…");
        assertThat(ApiClient.json(client.get("/api/v1/notification-targets/hook-secret"))
                .at("/document/spec/nines/headers/Authorization").asText()).isEqualTo("***");
        List<String> logged = logs.list.stream().map(event -> event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage())).toList();
        for (String secret : List.of(ROUTING_KEY, "webhook-secret-7d1e", "secret-path-a1b2", "secret-path-c3d4")) {
            assertThat(answers).noneMatch(text -> text.contains(secret));
            assertThat(logged).noneMatch(text -> text.contains(secret));
        }
        assertThat(logged).anyMatch(text -> text.contains("hook-secret") && text.contains("HTTP 400"));
    }

    private void createTarget(String name, String team, String kind, String path, String extra) {
        String yaml = "apiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata: {name: " + name
                + ", labels: {team: " + team + "}}\nspec:\n  target: " + kind + "\n  description: " + name
                + "\n  nines:\n    url: \"" + receiver.url(path) + "\"\n"
                + (kind.equals("pagerduty") ? "    routingKey: " + ROUTING_KEY + "\n" : "")
                + (extra.isEmpty() ? "" : "    " + extra + "\n");
        HttpResponse<String> response = client.send("POST", "/api/v1/notification-targets", YAML, yaml);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private JsonNode notifications(String alertId, String target) {
        HttpResponse<String> response = client.get("/api/v1/notifications?alertId=" + alertId
                + (target.isEmpty() ? "" : "&target=" + target));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response).get("notifications");
    }
}
