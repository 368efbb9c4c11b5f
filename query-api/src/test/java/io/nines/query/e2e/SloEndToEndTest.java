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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private static final Map<String, Duration> LOOKBACKS = lookbacks();
  /** Spans end over the last 150 minutes, so that the 5m, 30m, 1h and 2h burn rates each cover different spans. */
  private static final Duration SPREAD = Duration.ofMinutes(150);
  private static final int SPANS = 400;
  /** Durations that straddle the 287 ms threshold on purpose. */
  private static final double[] MILLIS = {287.0, 287.001, 286.999, 12.5, 950, 287.0, 3000, 41, 287.5, 199.999};

  private final String service = NinesInfra.uniqueName("shop");
  private RunningPlatform platform;

  @BeforeAll
  void startThePlatform(EmbeddedKafka kafka, EmbeddedClickHouse clickhouse) throws Exception {
    // Spans up to 150 minutes old arrive after the probe moved the watermark to now: within this lateness they
    // update their minutes, as a collector's retry queue draining after an outage would.
    platform = RunningPlatform.start(kafka, clickhouse, List.of("--allowed-lateness=3h"));
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
      List<Sent> available = new ArrayList<>();
      List<Sent> fast = new ArrayList<>();
      // Newest first: every one of them is behind the watermark the probe set, so all arrive late.
      for (int i = 0; i < SPANS; i++) {
        double millis = MILLIS[i % MILLIS.length];
        // bad spans bunch in the last hour, so that the burn rates differ by lookback
        boolean failed = i % 23 == 0 || i % 31 == 0 || (i < SPANS * 2 / 5 && i % 7 == 0);
        Instant end = now.minusMillis(SPREAD.toMillis() * i / SPANS);
        Span span = span(tracer, "POST /pay", end, millis);
        if (failed) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end(end.toEpochMilli(), TimeUnit.MILLISECONDS);
        available.add(new Sent(end, !failed));
        fast.add(new Sent(end, millis <= 287.0));
      }
      assertThat(sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();

      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(
          () -> platform.get("/api/v1/slos/pay-availability/status").path("total").asLong() == SPANS
              && platform.get("/api/v1/slos/pay-latency/status").path("total").asLong() == SPANS);
      assertStatus(platform.get("/api/v1/slos/pay-availability/status"), available);
      assertStatus(platform.get("/api/v1/slos/pay-latency/status"), fast);
    }
  }

  /** One span the test sent: when it ended and whether the SLO counts it good. */
  private record Sent(Instant end, boolean good) {}

  /**
   * Every figure of the status against the same arithmetic done here over the spans the test sent. A burn-rate
   * lookback ending at {@code asOf} covers whole minutes of event time, from the minute holding {@code asOf - L}.
   */
  private static void assertStatus(JsonNode status, List<Sent> spans) {
    long total = spans.size();
    long good = spans.stream().filter(Sent::good).count();
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
    Instant asOf = Instant.parse(status.path("asOf").asText());
    Map<Double, String> distinct = new HashMap<>();
    LOOKBACKS.forEach((label, length) -> {
      Instant from = asOf.minus(length).truncatedTo(ChronoUnit.MINUTES);
      List<Sent> within = spans.stream().filter(s -> !s.end().isBefore(from)).toList();
      long lookbackBad = within.stream().filter(s -> !s.good()).count();
      double burnRate = ((double) lookbackBad / within.size()) / (1 - TARGET);
      assertThat(status.path("burnRates").path(label).asDouble()).as("burn rate over %s", label)
          .isCloseTo(burnRate, within(1e-9));
      distinct.putIfAbsent(burnRate, label);
    });
    // 5m, 30m, 1h and 2h cover different spans (the longer ones all of them): a mix-up between them would show
    assertThat(distinct).as("distinct burn rates by lookback").hasSizeGreaterThanOrEqualTo(4);
    // the budget is spent, so it is exhausted as of now
    assertThat(bad).isGreaterThan(Math.round(budget));
    assertThat(status.path("exhaustion").asText()).isEqualTo(status.path("asOf").asText());
  }

  private static Map<String, Duration> lookbacks() {
    Map<String, Duration> lookbacks = new LinkedHashMap<>();
    lookbacks.put("5m", Duration.ofMinutes(5));
    lookbacks.put("30m", Duration.ofMinutes(30));
    lookbacks.put("1h", Duration.ofHours(1));
    lookbacks.put("2h", Duration.ofHours(2));
    lookbacks.put("6h", Duration.ofHours(6));
    lookbacks.put("1d", Duration.ofDays(1));
    lookbacks.put("3d", Duration.ofDays(3));
    return lookbacks;
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
