package io.nines.core.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertTransitionTest {

  private static AlertTransition firing() {
    Map<String, Double> rates = new LinkedHashMap<>();
    rates.put("5m", 1000.0);
    rates.put("30m", 166.67);
    rates.put("1h", 14.5);
    rates.put("2h", 7.25);
    rates.put("6h", 2.5);
    rates.put("1d", 0.6);
    rates.put("3d", 0.2);
    Instant at = Instant.parse("2026-11-29T10:01:00Z");
    return new AlertTransition("checkout-availability", "payments", "checkout", Severity.PAGE,
        AlertTransition.State.FIRING, 3, AlertTransition.incidentId("checkout-availability", Severity.PAGE, at), at,
        "burnrate>=14.4 over 1h and 5m", rates, 0.02, List.of("payments-pager"));
  }

  @Test
  void roundTripsThroughJson() {
    AlertTransition transition = firing();

    AlertTransition read = AlertTransition.fromJson(transition.toJson());

    assertThat(read).isEqualTo(transition);
    assertThat(read.burnRates().keySet()).containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d");
    assertThat(new String(transition.key(), StandardCharsets.UTF_8)).isEqualTo("checkout-availability/page");
  }

  @Test
  void writesTheDocumentedFields() {
    String json = new String(firing().toJson(), StandardCharsets.UTF_8);

    assertThat(json).startsWith("{\"alertId\":\"checkout-availability/page\",\"slo\":\"checkout-availability\","
        + "\"team\":\"payments\",\"service\":\"checkout\",\"severity\":\"page\",\"state\":\"firing\",\"sequence\":3,"
        + "\"incidentId\":\"checkout-availability/page/1795946460000\",\"at\":\"2026-11-29T10:01:00Z\",")
        .contains("\"burnRates\":{\"5m\":1000.0,", "\"budgetConsumed\":0.02",
            "\"notificationTargets\":[\"payments-pager\"]}");
  }

  @Test
  void skipsUnknownFields() {
    String json = new String(firing().toJson(), StandardCharsets.UTF_8)
        .replace("{\"alertId\"", "{\"future\":{\"a\":[1,2]},\"alertId\"");

    assertThat(AlertTransition.fromJson(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(firing());
  }

  @Test
  void refusesBrokenValuesNamingTheField() {
    String json = new String(firing().toJson(), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> AlertTransition.fromJson(json.replace("\"sequence\":3", "\"sequence\":\"3\"")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("sequence must be an integer");
    assertThatThrownBy(() -> AlertTransition.fromJson(json.replace("\"state\":\"firing\"", "\"state\":\"on\"")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("state must be pending, firing or resolved, was 'on'");
    assertThatThrownBy(() -> AlertTransition.fromJson(json.replace("checkout-availability/page\",\"slo",
        "other/page\",\"slo").getBytes(StandardCharsets.UTF_8))).hasMessageContaining("alertId must be slo/severity");
    assertThatThrownBy(() -> AlertTransition.fromJson(json.replace(",\"rule\":\"burnrate>=14.4 over 1h and 5m\"", "")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("field rule is required");
    assertThatThrownBy(() -> AlertTransition.fromJson("[1]".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> AlertTransition.fromJson("{\"slo\":".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> AlertTransition.fromJson(null)).hasMessageContaining("must not be null");
  }

  private static AlertTransition latencyFiring() {
    Instant at = Instant.parse("2026-11-29T10:01:00Z");
    return new AlertTransition("checkout-latency", "payments", "checkout", Severity.PAGE,
        AlertTransition.State.FIRING, 1_000_001, AlertTransition.incidentId("checkout-latency", Severity.PAGE, at),
        at, "p99>300ms over 5m", Map.of("5m", 0.0), 0.0, List.of("payments-pager"),
        Optional.of(new LatencyObservation(0.99, Duration.ofMinutes(5), 300, 798.5, 3_000)));
  }

  @Test
  void carriesTheObservedLatencyOfALatencyRule() {
    AlertTransition transition = latencyFiring();
    String json = new String(transition.toJson(), StandardCharsets.UTF_8);

    assertThat(json).endsWith(",\"notificationTargets\":[\"payments-pager\"],\"latency\":{\"quantile\":0.99,"
        + "\"lookbackMillis\":300000,\"thresholdMillis\":300.0,\"observedMillis\":798.5,\"spans\":3000}}");
    assertThat(AlertTransition.fromJson(transition.toJson())).isEqualTo(transition);
  }

  @Test
  void aRecordWrittenBeforeLatencyRulesHasNoLatency() {
    // the value as the codec wrote it before the latency field existed, byte for byte
    String old = "{\"alertId\":\"checkout-availability/page\",\"slo\":\"checkout-availability\","
        + "\"team\":\"payments\",\"service\":\"checkout\",\"severity\":\"page\",\"state\":\"firing\","
        + "\"sequence\":3,\"incidentId\":\"checkout-availability/page/1795946460000\","
        + "\"at\":\"2026-11-29T10:01:00Z\",\"rule\":\"burnrate>=14.4 over 1h and 5m\",\"burnRates\":{\"1h\":14.5},"
        + "\"budgetConsumed\":0.02,\"notificationTargets\":[\"payments-pager\"]}";

    AlertTransition read = AlertTransition.fromJson(old.getBytes(StandardCharsets.UTF_8));

    assertThat(read.latency()).isEmpty();
    assertThat(new String(read.toJson(), StandardCharsets.UTF_8)).isEqualTo(old);
  }

  @Test
  void refusesABrokenLatencyNamingTheField() {
    String json = new String(latencyFiring().toJson(), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> AlertTransition.fromJson(json.replace("\"observedMillis\":798.5", "\"observedMillis\":\"x\"")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("field latency.observedMillis must be a number");
    assertThatThrownBy(() -> AlertTransition.fromJson(json.replace(",\"spans\":3000", "")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("field latency.spans is required");
    assertThatThrownBy(() -> AlertTransition.fromJson(json.replace("\"latency\":{", "\"latency\":[{")
        .replace("3000}}", "3000}]}").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("field latency must be an object");
  }
}
