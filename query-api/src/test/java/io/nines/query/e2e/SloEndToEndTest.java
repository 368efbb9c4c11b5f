package io.nines.query.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SLOs through the real pipeline: definitions posted to the API as OpenSLO YAML reach the running Flink
 * job without a restart; spans sent with the OpenTelemetry SDK are judged in the stream against exact
 * thresholds; the API's status equals an independent computation over the same spans.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SloEndToEndTest {

  private static final double TARGET = 0.99;
  private static final List<String> LOOKBACKS = List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d");
  /** Durations that straddle the 287 ms threshold on purpose. */
  private static final double[] MILLIS = {287.0, 287.001, 286.999, 12.5, 950, 287.0, 3000, 41, 287.5, 199.999};

  private final String service = NinesInfra.uniqueName("shop");
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
  }

  @Test
  void statusOfSlosCreatedWhileRunningEqualsAnIndependentCountOfTheSpans() throws Exception {
    Instant created = Instant.now();
    HttpResponse<String> posted = platform.send(HttpRequest.newBuilder(URI.create(platform.api() + "/api/v1/slos"))
        .header("Content-Type", "application/yaml")
        .POST(HttpRequest.BodyPublishers.ofString(slo("pay-availability", "ratioMetric:\n"
            + "        counter: true\n"
            + "        good:  {metricSource: {type: nines.spans, spec: {service: " + service
            + ", operation: \"POST /pay\", outcome: success}}}\n"
            + "        total: {metricSource: {type: nines.spans, spec: {service: " + service
            + ", operation: \"POST /pay\"}}}", "{target: " + TARGET + "}")
            + "---\n" + slo("pay-latency", "thresholdMetric:\n"
            + "        metricSource: {type: nines.spans, spec: {service: " + service
            + ", operation: \"POST /pay\"}}", "{op: lte, value: 287, target: " + TARGET + "}")
            // published last: once it counts, the job holds the two SLOs published before it
            + "---\n" + slo("pay-probe", "ratioMetric:\n"
            + "        good:  {metricSource: {type: nines.spans, spec: {service: " + service
            + ", operation: \"GET /probe\", outcome: success}}}\n"
            + "        total: {metricSource: {type: nines.spans, spec: {service: " + service
            + ", operation: \"GET /probe\"}}}", "{target: " + TARGET + "}"))));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);

    try (OpenTelemetrySdk sdk = platform.sdk(service)) {
      Tracer tracer = sdk.getTracer("e2e");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
        Instant end = Instant.now();
        span(tracer, "GET /probe", end, 5).end(end.toEpochMilli(), TimeUnit.MILLISECONDS);
        sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        return platform.get("/api/v1/slos/pay-probe/status").path("total").asLong() > 0;
      });
      Duration untilCounting = Duration.between(created, Instant.now());
      assertThat(untilCounting).as("from creating the SLO to its first counted span").isLessThan(Duration.ofMinutes(1));

      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      long total = 0;
      long available = 0;
      long fast = 0;
      for (int i = 0; i < 400; i++) {
        double millis = MILLIS[i % MILLIS.length];
        boolean failed = i % 23 == 0 || i % 31 == 0;
        Instant end = now.minusMillis(150L * i);
        Span span = span(tracer, "POST /pay", end, millis);
        if (failed) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end(end.toEpochMilli(), TimeUnit.MILLISECONDS);
        total++;
        available += failed ? 0 : 1;
        fast += millis <= 287.0 ? 1 : 0;
      }
      assertThat(sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

      long expectedTotal = total;
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
          () -> platform.get("/api/v1/slos/pay-availability/status").path("total").asLong() == expectedTotal
              && platform.get("/api/v1/slos/pay-latency/status").path("total").asLong() == expectedTotal);
      assertStatus(platform.get("/api/v1/slos/pay-availability/status"), available, total);
      assertStatus(platform.get("/api/v1/slos/pay-latency/status"), fast, total);
    }
  }

  /** Every figure of the status against the same arithmetic done here over the spans the test sent. */
  private static void assertStatus(JsonNode status, long good, long total) {
    long bad = total - good;
    double budget = (1 - TARGET) * total;
    assertThat(status.path("good").asLong()).isEqualTo(good);
    assertThat(status.path("total").asLong()).isEqualTo(total);
    assertThat(status.path("target").asDouble()).isEqualTo(TARGET);
    assertThat(status.path("window").asText()).isEqualTo("30d");
    assertThat(status.path("sli").asDouble()).isCloseTo((double) good / total, within(1e-9));
    assertThat(status.path("errorBudget").path("total").asDouble()).isCloseTo(budget, within(1e-9));
    assertThat(status.path("errorBudget").path("consumed").asDouble()).isCloseTo(bad, within(1e-9));
    assertThat(status.path("errorBudget").path("remaining").asDouble()).isCloseTo(1 - bad / budget, within(1e-9));
    // every span ended within the last minute, inside every lookback
    double burnRate = ((double) bad / total) / (1 - TARGET);
    for (String lookback : LOOKBACKS) {
      assertThat(status.path("burnRates").path(lookback).asDouble()).as(lookback)
          .isCloseTo(burnRate, within(1e-9));
    }
  }

  private String slo(String name, String indicator, String objective) {
    return "apiVersion: openslo/v1\n"
        + "kind: SLO\n"
        + "metadata: {name: " + name + ", labels: {team: payments}}\n"
        + "spec:\n"
        + "  service: " + service + "\n"
        + "  indicator:\n"
        + "    spec:\n"
        + "      " + indicator + "\n"
        + "  timeWindow: [{duration: 30d, isRolling: true}]\n"
        + "  budgetingMethod: Occurrences\n"
        + "  objectives: [" + objective + "]\n";
  }

  private static Span span(Tracer tracer, String name, Instant end, double millis) {
    long endNanos = TimeUnit.MILLISECONDS.toNanos(end.toEpochMilli());
    return tracer.spanBuilder(name)
        .setSpanKind(SpanKind.SERVER)
        .setNoParent()
        .setStartTimestamp(endNanos - Math.round(millis * 1_000_000), TimeUnit.NANOSECONDS)
        .startSpan();
  }
}
