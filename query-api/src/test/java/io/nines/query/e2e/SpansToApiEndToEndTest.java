package io.nines.query.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.core.latency.LatencyHistogram;
import io.nines.infra.testing.ChildJvm;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The first slice as a user meets it: an application instrumented with the OpenTelemetry Java SDK sends
 * spans over OTLP/HTTP to the collector, which writes them to Kafka; the Flink job folds them into
 * per-minute sketches in ClickHouse; the API answers counts, errors and percentiles. Every part runs as
 * its own JVM, started exactly as {@code ./nines up} starts it.
 */
@ExtendWith(NinesInfra.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpansToApiEndToEndTest {

  private static final double[] QUANTILES = {0.5, 0.9, 0.99};
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String service = NinesInfra.uniqueName("checkout");
  private final String otherService = NinesInfra.uniqueName("catalog");
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
  void spansSentWithTheOtelSdkComeBackAsExactCountsAndPercentilesFromTheApi() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Random random = new Random(2026);
    double[] durations = new double[1_200];
    int errors = 0;
    try (OpenTelemetrySdk sdk = platform.sdk(service)) {
      Tracer tracer = sdk.getTracer("e2e");
      for (int i = 0; i < durations.length; i++) {
        // lognormal around 120 ms with a long tail, ending over the last three minutes
        durations[i] = Math.round(Math.exp(Math.log(120) + 0.6 * random.nextGaussian()) * 1000) / 1000.0;
        Instant end = now.minusMillis(random.nextInt(180_000));
        boolean failed = i % 40 == 0;
        errors += failed ? 1 : 0;
        Span server = span(tracer, "POST /checkout", SpanKind.SERVER, end, durations[i], null);
        // a client call inside the request: it must not count as a request of the service
        span(tracer, "charge", SpanKind.CLIENT, end.minusMillis(1), durations[i] / 2, server);
        if (failed) {
          server.setStatus(StatusCode.ERROR, "payment declined");
        }
        server.end(end.toEpochMilli(), TimeUnit.MILLISECONDS);
      }
      assertThat(sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    try (OpenTelemetrySdk sdk = platform.sdk(otherService)) {
      Tracer tracer = sdk.getTracer("e2e");
      for (int i = 0; i < 300; i++) {
        span(tracer, "GET /products/{id}", SpanKind.SERVER, now.minusMillis(i * 100L), 15, null)
            .end(now.minusMillis(i * 100L).toEpochMilli(), TimeUnit.MILLISECONDS);
      }
      assertThat(sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    String range = "from=" + now.minus(10, ChronoUnit.MINUTES).toEpochMilli()
        + "&to=" + now.plus(2, ChronoUnit.MINUTES).toEpochMilli();
    String latency = "/api/v1/services/" + service + "/latency?" + range + "&quantiles=0.5,0.9,0.99";
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> get(latency).path("count").asLong(), count -> count == durations.length);

    JsonNode body = get(latency);
    assertThat(body.path("service").asText()).isEqualTo(service);
    assertThat(body.path("source").asText()).isEqualTo("spans");
    assertThat(body.path("errors").asLong()).isEqualTo(errors);
    double[] sorted = durations.clone();
    Arrays.sort(sorted);
    for (double q : QUANTILES) {
      double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      assertThat(body.path("quantiles").path(String.valueOf(q)).asDouble())
          .as("p%s", q * 100)
          .isCloseTo(exact, within(exact * LatencyHistogram.RELATIVE_ACCURACY));
    }

    JsonNode series = get("/api/v1/services/" + service + "/latency/series?" + range + "&step=60000");
    long seriesCount = 0;
    long seriesErrors = 0;
    for (JsonNode point : series.path("points")) {
      seriesCount += point.path("count").asLong();
      seriesErrors += point.path("errors").asLong();
    }
    assertThat(seriesCount).isEqualTo(durations.length);
    assertThat(seriesErrors).isEqualTo(errors);
    assertThat(series.path("points").size()).isBetween(3, 4);

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> get("/api/v1/services/" + otherService + "/latency?" + range).path("count").asLong(),
            count -> count == 300);
    List<String> services = new ArrayList<>();
    get("/api/v1/services").path("services").forEach(s -> services.add(s.path("name").asText()));
    assertThat(services).contains(service, otherService);
  }

  /**
   * A service that sends only {@code http.server.request.duration} histograms (seconds, explicit buckets, cumulative
   * as the SDK sends them) is answered from them, and says so; a service that sends spans too is answered from its
   * spans alone. 100 requests of 30 ms and 100 of 200 ms (10 of them 500s): each explicit bucket reads back at its
   * geometric midpoint, (25, 50] ms at 35.4 ms and (100, 250] ms at 158.1 ms, within 1 %, which is within the
   * documented bound sqrt(upper / lower) x 1.01 of the exact values.
   */
  @Test
  void aServiceSendingOnlyHistogramMetricsIsAnsweredFromThemWithinTheBucketBound() throws Exception {
    String metricsOnly = NinesInfra.uniqueName("inventory");
    String both = NinesInfra.uniqueName("payments");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    for (String name : List.of(metricsOnly, both)) {
      try (SdkMeterProvider meters = platform.meters(name)) {
        DoubleHistogram duration = meters.get("e2e").histogramBuilder("http.server.request.duration").setUnit("s")
            .setExplicitBucketBoundariesAdvice(List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0,
                2.5, 5.0, 7.5, 10.0))
            .build();
        for (int i = 0; i < 100; i++) {
          duration.record(0.030, request(200));
          duration.record(0.200, request(i < 10 ? 500 : 200));
        }
        assertThat(meters.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
    }
    try (OpenTelemetrySdk sdk = platform.sdk(both)) {
      Tracer tracer = sdk.getTracer("e2e");
      for (int i = 0; i < 20; i++) {
        span(tracer, "POST /pay", SpanKind.SERVER, now.minusMillis(i * 100L), 15, null)
            .end(now.minusMillis(i * 100L).toEpochMilli(), TimeUnit.MILLISECONDS);
      }
      assertThat(sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    String range = "from=" + now.minus(10, ChronoUnit.MINUTES).toEpochMilli()
        + "&to=" + now.plus(2, ChronoUnit.MINUTES).toEpochMilli();
    String latency = "/api/v1/services/" + metricsOnly + "/latency?" + range + "&quantiles=0.5,0.99";
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> get(latency).path("count").asLong(), count -> count == 200);
    JsonNode body = get(latency);
    assertThat(body.path("source").asText()).isEqualTo("metrics");
    assertThat(body.path("errors").asLong()).isEqualTo(10);
    assertWithinBucketBound(body.path("quantiles").path("0.5").asDouble(), 30, 25, 50);
    assertWithinBucketBound(body.path("quantiles").path("0.99").asDouble(), 200, 100, 250);

    JsonNode series = get("/api/v1/services/" + metricsOnly + "/latency/series?" + range + "&step=60000");
    assertThat(series.path("source").asText()).isEqualTo("metrics");
    long seriesCount = 0;
    for (JsonNode point : series.path("points")) {
      seriesCount += point.path("count").asLong();
    }
    assertThat(seriesCount).isEqualTo(200);
    JsonNode heatmap = get("/api/v1/services/" + metricsOnly + "/latency/heatmap?" + range);
    assertThat(heatmap.path("source").asText()).isEqualTo("metrics");
    assertThat(heatmap.path("count").asLong()).isEqualTo(200);
    List<String> services = new ArrayList<>();
    get("/api/v1/services").path("services").forEach(s -> services.add(s.path("name").asText()));
    assertThat(services).contains(metricsOnly, both);

    // Spans win: once both kinds of minutes are stored, the answer still counts the 20 spans and only them.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> metricRequests(both), count -> count == 200);
    String bothLatency = "/api/v1/services/" + both + "/latency?" + range;
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
        .until(() -> get(bothLatency).path("count").asLong(), count -> count == 20);
    assertThat(get(bothLatency).path("source").asText()).isEqualTo("spans");
  }

  private static Attributes request(long status) {
    return Attributes.of(AttributeKey.stringKey("http.request.method"), "GET",
        AttributeKey.stringKey("http.route"), "/stock/{sku}",
        AttributeKey.longKey("http.response.status_code"), status);
  }

  /** The bucket's geometric midpoint within 1 %, hence the exact value within sqrt(upper / lower) x 1.01. */
  private static void assertWithinBucketBound(double answered, double exact, double lower, double upper) {
    assertThat(answered).isCloseTo(Math.sqrt(lower * upper), within(Math.sqrt(lower * upper) * 0.01));
    double bound = Math.sqrt(upper / lower) * (1 + LatencyHistogram.RELATIVE_ACCURACY);
    assertThat(answered).isBetween(exact / bound, exact * bound);
  }

  private long metricRequests(String service) throws Exception {
    try (Connection connection = DriverManager.getConnection(platform.jdbcUrl(), "default", "");
        PreparedStatement select = connection.prepareStatement(
            "SELECT sum(count) FROM metric_latency_minute FINAL WHERE service = ?")) {
      select.setString(1, service);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? rows.getLong(1) : 0;
      }
    }
  }

  @Test
  void badInputGetsClearAnswersAndLeavesThePlatformRunning() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> garbage = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + platform.collectorPort() + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x0a, (byte) 0xff, 0x01, 0x02}))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(garbage.statusCode()).isEqualTo(400);

    HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + platform.collectorPort() + "/v1/traces"))
        .header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("hello"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongType.statusCode()).isEqualTo(415);

    assertProblem("/api/v1/services/" + service + "/latency?from=yesterday", 400, "from");
    assertProblem("/api/v1/services/" + service + "/latency?quantiles=0.5,1.5", 400, "quantiles");
    assertProblem("/api/v1/services/" + encode("no-such-service'; DROP TABLE latency_minute; --") + "/latency", 404,
        "no-such-service");

    HttpResponse<String> oversize = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + platform.collectorPort() + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[21 * 1024 * 1024]))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(oversize.statusCode()).isEqualTo(413);

    for (ChildJvm child : platform.children()) {
      assertThat(child.isAlive()).as(child.logFile().toString()).isTrue();
    }
    assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(platform.api() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

    // Undisturbed means data still flows end to end after all of that, not only that the processes live.
    String afterwards = NinesInfra.uniqueName("after_bad_input");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (OpenTelemetrySdk sdk = platform.sdk(afterwards)) {
      Tracer tracer = sdk.getTracer("e2e");
      for (int i = 0; i < 50; i++) {
        span(tracer, "GET /health", SpanKind.SERVER, now.minusMillis(i * 10L), 5, null)
            .end(now.minusMillis(i * 10L).toEpochMilli(), TimeUnit.MILLISECONDS);
      }
      assertThat(sdk.getSdkTracerProvider().forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    String range = "from=" + now.minus(5, ChronoUnit.MINUTES).toEpochMilli()
        + "&to=" + now.plus(2, ChronoUnit.MINUTES).toEpochMilli();
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
        .until(() -> get("/api/v1/services/" + afterwards + "/latency?" + range).path("count").asLong(),
            count -> count == 50);
  }

  private void assertProblem(String path, int status, String detailMentions) throws Exception {
    HttpResponse<String> response = platform.send(HttpRequest.newBuilder(URI.create(platform.api() + path)));
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).contains(detailMentions);
  }

  private JsonNode get(String path) throws Exception {
    return platform.get(path);
  }

  private static Span span(Tracer tracer, String name, SpanKind kind, Instant end, double millis, Span parent) {
    long endNanos = TimeUnit.MILLISECONDS.toNanos(end.toEpochMilli());
    Span span = tracer.spanBuilder(name)
        .setSpanKind(kind)
        .setParent(parent == null ? Context.root() : Context.root().with(parent))
        .setStartTimestamp(endNanos - Math.round(millis * 1_000_000), TimeUnit.NANOSECONDS)
        .startSpan();
    if (kind == SpanKind.CLIENT) {
      span.end(endNanos, TimeUnit.NANOSECONDS);
    }
    return span;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
