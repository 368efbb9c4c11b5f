package io.nines.query;

import static io.nines.core.alerting.AlertTransition.State.FIRING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A delivery consumer closed mid-stream and started again pages nobody twice: offsets it had not committed are
 * redelivered to its successor, which skips what was already delivered.
 */
@ExtendWith(NinesInfra.class)
class DeliveryRestartTest {

    @Test
    void restartingTheConsumerMidStreamSendsNoDuplicate(EmbeddedClickHouse clickHouse, EmbeddedKafka kafka) {
        String topic = NinesInfra.uniqueName("alerts");
        kafka.createTopic(topic, 1);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        DeliverySettings fast = AlertDeliveryTest.settings(kafka.bootstrapServers(), topic);
        // The first transition goes to a target that never answers and is retried for longer than a stop waits,
        // so the offsets of everything after it stay uncommitted although those pages were delivered.
        DeliverySettings settings = new DeliverySettings(true, fast.bootstrap(), fast.externalUrl(), topic,
                fast.group(), fast.attemptTimeout(), 30, fast.firstBackoff(), fast.maxBackoff(), fast.maxRetryAfter(),
                100, fast.breakerOpenFor(), 2, 1000);
        QueryApiConfig config = QueryApiConfig.local("127.0.0.1", 0,
                clickHouse.jdbcUrl(NinesInfra.uniqueName("restart")), kafka.bootstrapServers()).withDelivery(settings);
        try (FakeReceiver receiver = new FakeReceiver();
                Transitions transitions = new Transitions(kafka.bootstrapServers(), topic)) {
            receiver.always("/hook/hangs", FakeReceiver.Answer.hang());
            QueryApi first = QueryApi.start(config, InstantSource.system());
            ApiClient client = new ApiClient(first.url());
            create(client, "hook-hangs", "webhook", receiver.url("/hook/hangs").toString());
            create(client, "pd-restart", "pagerduty", receiver.url("/pagerduty/restart").toString());
            transitions.publish(Transitions.of("stuck", "payments", Severity.PAGE, FIRING, 1, now, now,
                    List.of("hook-hangs")));
            transitions.publish(alerts(0, 19, now));
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received("/pagerduty/restart").size() == 19);
            first.close();

            QueryApi second = QueryApi.start(config, InstantSource.system());
            try {
                transitions.publish(alerts(19, 24, now));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> receiver.received("/pagerduty/restart").size() >= 24);
                // Everything before the last five was redelivered to the second consumer; it must have settled
                // those too before we count.
                ApiClient again = new ApiClient(second.url());
                await().atMost(Duration.ofSeconds(20)).until(() -> ApiClient.json(again.get(
                        "/api/v1/notifications?target=pd-restart&limit=1000")).get("notifications").size() == 24);

                List<String> dedupKeys = receiver.received("/pagerduty/restart").stream()
                        .map(r -> r.json().get("dedup_key").asText()).toList();
                assertThat(dedupKeys).hasSize(24).doesNotHaveDuplicates();
            } finally {
                second.close();
            }
        }
    }

    private static AlertTransition[] alerts(int from, int to, Instant now) {
        return IntStream.range(from, to).mapToObj(i -> Transitions.of("restart-" + i, "payments", Severity.PAGE,
                FIRING, 1, now, now, List.of("pd-restart"))).toArray(AlertTransition[]::new);
    }

    private static void create(ApiClient client, String name, String kind, String url) {
        String yaml = "apiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata: {name: " + name
                + ", labels: {team: payments}}\nspec:\n  target: " + kind + "\n  nines:\n    url: \"" + url + "\"\n"
                + "    routingKey: key-1\n";
        HttpResponse<String> response = client.send("POST", "/api/v1/notification-targets", "application/yaml", yaml);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
