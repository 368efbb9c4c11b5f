package io.nines.query.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.nines.query.FakeReceiver;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A total outage pages: a service instrumented with the OpenTelemetry SDK fails every request; the spans
 * go through the collector, Kafka and the Flink job's burn-rate evaluation; the API delivers the page to a
 * local server speaking PagerDuty's Events API v2. The figures the test measures are the time from the
 * outage's first failed request to the trigger's arrival and from recovery to the resolve's arrival. In
 * between, the job crashes and the API restarts mid-incident, and the API is down when the resolve is
 * decided: PagerDuty still hears exactly one trigger and one resolve.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageOnOutageEndToEndTest {

  private static final Duration PAGE_WITHIN = Duration.ofSeconds(75);
  private static final Duration RESOLVE_WITHIN = Duration.ofMinutes(5);
  private static final String PAGERDUTY_PATH = "/v2/enqueue";

  private final String service = NinesInfra.uniqueName("orders");
  private final FakeReceiver pagerDuty = new FakeReceiver();
  private RunningPlatform platform;

  @BeforeAll
  void startThePlatform(EmbeddedKafka kafka, EmbeddedClickHouse clickhouse) throws Exception {
    platform = RunningPlatform.start(kafka, clickhouse);
  }

  @AfterAll
  void stopThePlatform() {
    if (platform != null) {
      platform.close();
    }
    pagerDuty.close();
  }

  @Test
  void pagesOnceWithin75SecondsAndResolvesOnceWithinFiveMinutesAcrossRestarts() throws Exception {
    post("/api/v1/notification-targets", """
        apiVersion: openslo/v1
        kind: AlertNotificationTarget
        metadata: {name: orders-pager, labels: {team: fulfilment}}
        spec:
          target: pagerduty
          description: Orders on-call
          nines: {url: "%s", routingKey: "e2e-routing-key", severities: [page]}
        """.formatted(pagerDuty.url(PAGERDUTY_PATH)));
    post("/api/v1/slos", """
        apiVersion: openslo/v1
        kind: SLO
        metadata: {name: orders-availability, labels: {team: fulfilment}}
        spec:
          service: %s
          indicator:
            spec:
              ratioMetric:
                good:  {metricSource: {type: nines.spans, spec: {service: %s, outcome: success}}}
                total: {metricSource: {type: nines.spans, spec: {service: %s}}}
          timeWindow: [{duration: 30d, isRolling: true}]
          budgetingMethod: Occurrences
          objectives: [{target: 0.999}]
          alertPolicies:
            - kind: AlertPolicy
              metadata: {name: orders-paging}
              spec: {notificationTargets: [{targetRef: orders-pager}]}
        """.formatted(service, service, service));

    AtomicReference<Instant> firstFailure = new AtomicReference<>();
    AtomicReference<Boolean> failing = new AtomicReference<>(false);
    ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    try (OpenTelemetrySdk sdk = platform.sdk(service)) {
      Tracer tracer = sdk.getTracer("e2e");
      // 20 requests a second, as a steady service would serve them
      traffic.scheduleAtFixedRate(() -> request(tracer, failing.get(), firstFailure), 0, 50, TimeUnit.MILLISECONDS);

      // healthy until the SLO counts: the job has the definition, the budget is intact
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> platform.get("/api/v1/slos/orders-availability/status").path("total").asLong() >= 200);
      failing.set(true);

      await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
          .until(() -> !triggers().isEmpty());
      Duration toPage = Duration.between(firstFailure.get(), triggers().get(0).at());
      System.out.printf("page arrived %d ms after the outage's first failed request%n", toPage.toMillis());
      assertThat(toPage).isLessThanOrEqualTo(PAGE_WITHIN);

      JsonNode trigger = triggers().get(0).json();
      assertThat(trigger.path("routing_key").asText()).isEqualTo("e2e-routing-key");
      assertThat(trigger.path("dedup_key").asText()).startsWith("orders-availability/page/");

      // the notification log shows the page delivered; by then any duplicate would have been sent too
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
        for (JsonNode row : platform.get("/api/v1/notifications?limit=100").path("notifications")) {
          if (row.path("outcome").asText().equals("delivered")) {
            return true;
          }
        }
        return false;
      });
      assertThat(triggers()).hasSize(1);
      // alert_events is written by the job's batching sink, beside (not before) the Kafka record that paged
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
          assertThat(platform.get("/api/v1/alerts?state=firing").toString()).contains("orders-availability"));

      // mid-incident the job crashes and resumes from its last checkpoint, replaying what came after it
      long countedBeforeCrash = counted();
      platform.crashAndRestartStreaming();
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
          .until(() -> counted() >= countedBeforeCrash + 400);
      // and the API restarts, with the page delivered and its offset committed
      platform.stopApi();
      platform.startApi();

      failing.set(false);
      Instant recovered = Instant.now();
      // the API is down when the stream decides the page is over: the resolve waits in Kafka, not lost
      platform.stopApi();
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
          .until(() -> resolvedInClickHouse("orders-availability"));
      assertThat(resolves()).isEmpty();
      platform.startApi();

      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> !resolves().isEmpty());
      Duration toResolve = Duration.between(recovered, resolves().get(0).at());
      System.out.printf("resolve arrived %d ms after recovery (the API was down for part of it)%n",
          toResolve.toMillis());
      assertThat(toResolve).isLessThanOrEqualTo(RESOLVE_WITHIN);
      assertThat(resolves().get(0).json().path("dedup_key").asText()).isEqualTo(trigger.path("dedup_key").asText());

      // every delivery of this incident is settled in the notification log: nothing more is on its way. (The
      // ticket fires once the page resolves, the day's budget being burnt, but goes to no target here.)
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(deliveredPages()).containsExactly("resolve", "trigger"));
      assertThat(triggers()).hasSize(1);
      assertThat(resolves()).hasSize(1);
    } finally {
      traffic.shutdownNow();
    }
  }

  private List<FakeReceiver.Received> triggers() {
    return received("trigger");
  }

  private List<FakeReceiver.Received> resolves() {
    return received("resolve");
  }

  private List<FakeReceiver.Received> received(String action) {
    return pagerDuty.received(PAGERDUTY_PATH).stream()
        .filter(r -> r.json().path("event_action").asText().equals(action))
        .toList();
  }

  private long counted() throws Exception {
    return platform.get("/api/v1/slos/orders-availability/status").path("total").asLong();
  }

  /** Read from ClickHouse, where the job writes its transitions, so it works while the API is down. */
  private boolean resolvedInClickHouse(String slo) throws SQLException {
    try (Connection connection = DriverManager.getConnection(platform.jdbcUrl(), "default", "");
        PreparedStatement query = connection.prepareStatement(
            "SELECT count() FROM alert_events FINAL WHERE slo = ? AND severity = 'page' AND state = 'resolved'")) {
      query.setString(1, slo);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() && rows.getLong(1) > 0;
      }
    }
  }

  /** The event actions of the page deliveries that the notification log records as delivered, sorted. */
  private List<String> deliveredPages() throws Exception {
    List<String> actions = new ArrayList<>();
    for (JsonNode row : platform.get("/api/v1/notifications?limit=100").path("notifications")) {
      if (row.path("outcome").asText().equals("delivered") && row.path("severity").asText().equals("page")) {
        actions.add(row.path("state").asText().equals("resolved") ? "resolve" : "trigger");
      }
    }
    Collections.sort(actions);
    return actions;
  }

  private static void request(Tracer tracer, boolean failed, AtomicReference<Instant> firstFailure) {
    Instant end = Instant.now();
    long endNanos = TimeUnit.MILLISECONDS.toNanos(end.toEpochMilli());
    Span span = tracer.spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER).setNoParent()
        .setStartTimestamp(endNanos - 20_000_000, TimeUnit.NANOSECONDS).startSpan();
    if (failed) {
      firstFailure.compareAndSet(null, end);
      span.setStatus(StatusCode.ERROR, "database unreachable");
    }
    span.end(endNanos, TimeUnit.NANOSECONDS);
  }

  private void post(String path, String yaml) throws Exception {
    HttpResponse<String> response = platform.send(HttpRequest.newBuilder(URI.create(platform.api() + path))
        .header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(yaml)));
    assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(201);
  }
}
