package io.nines.core.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nines.core.alerting.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationTargetReaderTest {

    private final NotificationTargetReader reader = new NotificationTargetReader();

    @Test
    void readsTheDesignExample() {
        NotificationTarget target = reader.read("""
                apiVersion: openslo/v1
                kind: AlertNotificationTarget
                metadata: {name: payments-pager, labels: {team: payments}}
                spec:
                  target: pagerduty
                  description: Payments on-call
                  nines: {url: "https://events.pagerduty.com/v2/enqueue", routingKey: "abc123"}
                """).get(0);

        assertThat(target.name()).isEqualTo("payments-pager");
        assertThat(target.team()).isEqualTo("payments");
        assertThat(target.kind()).isEqualTo(NotificationTarget.Kind.PAGERDUTY);
        assertThat(target.routingKey()).contains("abc123");
        assertThat(target.severities()).containsExactly(Severity.PAGE, Severity.TICKET);
        assertThat(target.redactedUrl()).isEqualTo("https://events.pagerduty.com/…");
        assertThat(target.toString()).doesNotContain("abc123", "/v2/enqueue");
    }

    @Test
    void readsSeveritiesAndHeadersFromAJsonArray() {
        List<NotificationTarget> targets = reader.read("""
                [{"apiVersion":"openslo/v1","kind":"AlertNotificationTarget",
                  "metadata":{"name":"tickets","labels":{"team":"search"}},
                  "spec":{"target":"webhook","nines":{"url":"http://hooks.internal:9000/am",
                    "severities":["ticket"],"headers":{"Authorization":"Bearer t0k"}}}}]""");

        assertThat(targets).hasSize(1);
        assertThat(targets.get(0).severities()).containsExactly(Severity.TICKET);
        assertThat(targets.get(0).headers()).containsEntry("Authorization", "Bearer t0k");
        assertThat(targets.get(0).toString()).doesNotContain("t0k").contains("Authorization");
    }

    @Test
    void reportsEveryBrokenRuleWithItsPathAndNeverTheSecret() {
        assertThatThrownBy(() -> reader.read("""
                apiVersion: openslo/v2
                kind: AlertNotificationTarget
                metadata: {name: x}
                spec:
                  target: pagerduty
                  nines: {url: "gopher://s3cr3t", headers: {"Bad Header": v, Content-Type: text/plain}}
                """))
                .isInstanceOf(InvalidSloException.class)
                .satisfies(e -> assertThat(((InvalidSloException) e).violations()).extracting(
                        InvalidSloException.Violation::path).containsExactlyInAnyOrder("apiVersion",
                        "metadata.labels.team", "spec.nines.url", "spec.nines.routingKey",
                        "spec.nines.headers.Bad Header", "spec.nines.headers.Content-Type"))
                .hasMessageNotContaining("s3cr3t");
    }
}
