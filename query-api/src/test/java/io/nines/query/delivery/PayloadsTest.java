package io.nines.query.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.LatencyObservation;
import io.nines.core.alerting.Severity;
import io.nines.core.slo.NotificationTarget;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each kind of target reads about a latency alert: the quantile the rule saw, next to its threshold. */
class PayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-03-15T10:02:40Z");
    private static final String RULE = "p99>300ms over 5m";
    private static final String BURN_RULE = "burnrate>=14.4 over 1h and 5m";

    private final Payloads payloads = new Payloads("http://127.0.0.1:8080/");

    private static AlertTransition transition(AlertTransition.State state, String rule,
                                              Optional<LatencyObservation> latency) {
        return new AlertTransition("checkout-latency", "payments", "checkout", Severity.PAGE, state,
                state == AlertTransition.State.FIRING ? 1_000_001 : 1_000_002,
                AlertTransition.incidentId("checkout-latency", Severity.PAGE, START),
                state == AlertTransition.State.FIRING ? START : START.plusSeconds(600), rule,
                Map.of("5m", 0.0), 0.0, List.of("pager"), latency);
    }

    private static AlertTransition slow() {
        return transition(AlertTransition.State.FIRING, RULE,
                Optional.of(new LatencyObservation(0.99, Duration.ofMinutes(5), 300, 742.38, 3_000)));
    }

    private static NotificationTarget target(NotificationTarget.Kind kind) {
        return new NotificationTarget("payments-" + kind.label(), "payments", kind, "",
                URI.create("https://example.com/x"),
                kind == NotificationTarget.Kind.PAGERDUTY ? Optional.of("R0123") : Optional.empty(),
                EnumSet.of(Severity.PAGE), Map.of());
    }

    private JsonNode body(NotificationTarget.Kind kind, AlertTransition transition) throws Exception {
        return JSON.readTree(payloads.body(target(kind), transition));
    }

    @Test
    void pagerDutySaysWhatTheQuantileWasAndItsThreshold() throws Exception {
        JsonNode event = body(NotificationTarget.Kind.PAGERDUTY, slow());

        assertThat(event.at("/event_action").asText()).isEqualTo("trigger");
        assertThat(event.at("/payload/summary").asText())
                .isEqualTo("SLO checkout-latency of checkout is too slow: p99 was 742 ms over 5m (threshold 300 ms)");
        assertThat(event.at("/payload/class").asText()).isEqualTo("slo-latency");
        assertThat(event.at("/payload/custom_details/rule").asText()).isEqualTo(RULE);
        assertThat(event.at("/payload/custom_details/latency").toString()).isEqualTo("{\"quantile\":0.99,"
                + "\"lookback\":\"5m\",\"thresholdMillis\":300.0,\"observedMillis\":742.38,\"spans\":3000}");
    }

    @Test
    void slackShowsTheQuantileFirst() throws Exception {
        JsonNode message = body(NotificationTarget.Kind.SLACK, slow());

        assertThat(message.at("/text").asText()).isEqualTo(":rotating_light: FIRING checkout-latency (page): SLO"
                + " checkout-latency of checkout is too slow: p99 was 742 ms over 5m (threshold 300 ms)");
        assertThat(message.at("/blocks/2/fields/0/text").asText())
                .isEqualTo("*p99 over 5m*\n742 ms (threshold 300 ms)");
        assertThat(message.at("/blocks/2/fields/1/text").asText()).isEqualTo("*Burn rate 5m*\n0.00");
    }

    @Test
    void alertmanagerAnnotatesTheLatency() throws Exception {
        JsonNode body = body(NotificationTarget.Kind.WEBHOOK, slow());

        JsonNode annotations = body.at("/alerts/0/annotations");
        assertThat(annotations.at("/summary").asText()).endsWith("p99 was 742 ms over 5m (threshold 300 ms)");
        assertThat(annotations.at("/latency_quantile").asText()).isEqualTo("0.99");
        assertThat(annotations.at("/latency_lookback").asText()).isEqualTo("5m");
        assertThat(annotations.at("/latency_threshold_ms").asText()).isEqualTo("300.000");
        assertThat(annotations.at("/latency_observed_ms").asText()).isEqualTo("742.380");
        assertThat(body.at("/commonAnnotations")).isEqualTo(annotations);
    }

    @Test
    void aResolveSaysTheQuantileIsBackUnderItsThreshold() throws Exception {
        AlertTransition resolved = transition(AlertTransition.State.RESOLVED, RULE,
                Optional.of(new LatencyObservation(0.99, Duration.ofMinutes(5), 300, 50.12, 3_000)));
        AlertTransition quiet = transition(AlertTransition.State.RESOLVED, RULE, Optional.empty());

        assertThat(body(NotificationTarget.Kind.PAGERDUTY, resolved).at("/payload/summary").asText()).isEqualTo(
                "SLO checkout-latency of checkout is no longer too slow: p99 was 50.1 ms over 5m (threshold 300 ms)");
        // the traffic stopped: no quantile to report, the rule says what it was about
        assertThat(body(NotificationTarget.Kind.PAGERDUTY, quiet).at("/payload/summary").asText())
                .isEqualTo("SLO checkout-latency of checkout is no longer too slow (p99>300ms over 5m)");
        assertThat(body(NotificationTarget.Kind.PAGERDUTY, quiet).at("/payload/custom_details/latency").isMissingNode())
                .isTrue();
    }

    @Test
    void burnRateAlertsReadAsBefore() throws Exception {
        AlertTransition burning = transition(AlertTransition.State.FIRING, BURN_RULE, Optional.empty());

        JsonNode event = body(NotificationTarget.Kind.PAGERDUTY, burning);
        assertThat(event.at("/payload/summary").asText()).isEqualTo("SLO checkout-latency of checkout is burning its"
                + " error budget too fast (" + BURN_RULE + ")");
        assertThat(event.at("/payload/class").asText()).isEqualTo("slo-burn-rate");
        assertThat(event.at("/payload/custom_details/latency").isMissingNode()).isTrue();
        assertThat(body(NotificationTarget.Kind.WEBHOOK, burning).at("/alerts/0/annotations/latency_quantile")
                .isMissingNode()).isTrue();
        assertThat(body(NotificationTarget.Kind.SLACK, burning).at("/blocks/2/fields/0/text").asText())
                .isEqualTo("*Burn rate 5m*\n0.00");
    }
}
