package io.nines.query.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nines.infra.testing.ChildJvm;
import io.nines.infra.testing.EmbeddedClickHouse;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.FreePorts;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole platform for an end-to-end test, each part in its own JVM started as {@code ./nines up} starts
 * it, on the harness's Kafka and ClickHouse with topics and a database of its own. The API runs with
 * authentication on; requests carry the admin token it wrote, as a user of {@code ./nines up} would.
 */
final class RunningPlatform implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ChildJvm> children = new ArrayList<>();
  private ChildJvm.Builder apiLaunch;
  private ChildJvm.Builder streamingLaunch;
  private ChildJvm apiProcess;
  private ChildJvm streamingProcess;
  private String jdbc;
  private String api;
  private int collectorPort;
  private String adminToken;

  private RunningPlatform() {
  }

  static RunningPlatform start(EmbeddedKafka kafka, EmbeddedClickHouse clickhouse, String... extraApiArgs)
      throws IOException {
    return start(kafka, clickhouse, List.of(), extraApiArgs);
  }

  /** @param extraStreamingArgs options for the streaming job, after (so overriding) the harness's own */
  static RunningPlatform start(EmbeddedKafka kafka, EmbeddedClickHouse clickhouse, List<String> extraStreamingArgs,
      String... extraApiArgs) throws IOException {
    RunningPlatform platform = new RunningPlatform();
    try {
      platform.launch(kafka, clickhouse, extraStreamingArgs, extraApiArgs);
      return platform;
    } catch (RuntimeException | IOException e) {
      platform.close();
      throw e;
    }
  }

  private void launch(EmbeddedKafka kafka, EmbeddedClickHouse clickhouse, List<String> extraStreamingArgs,
      String... extraApiArgs) throws IOException {
    String spansTopic = NinesInfra.uniqueName("otlp_spans");
    String metricsTopic = NinesInfra.uniqueName("otlp_metrics");
    String sloTopic = NinesInfra.uniqueName("slo_definitions");
    String alertsTopic = NinesInfra.uniqueName("alerts");
    kafka.createTopic(spansTopic, 2);
    // before the job starts: it subscribes by pattern and would otherwise find the topic only at its next discovery
    kafka.createTopic(metricsTopic, 1);
    jdbc = clickhouse.jdbcUrl(NinesInfra.uniqueName("e2e"));
    Path work = Files.createTempDirectory("nines-e2e");
    Path tokenFile = work.resolve("admin.token");
    collectorPort = FreePorts.next();
    int apiPort = FreePorts.next();
    api = "http://127.0.0.1:" + apiPort;

    List<String> apiArgs = new ArrayList<>(List.of("--host=127.0.0.1", "--port=" + apiPort,
        "--clickhouse-url=" + jdbc, "--kafka-bootstrap=" + kafka.bootstrapServers(), "--slo-topic=" + sloTopic,
        "--alerts-topic=" + alertsTopic, "--admin-token-file=" + tokenFile));
    apiArgs.addAll(List.of(extraApiArgs));
    apiLaunch = ChildJvm.builder("e2e-query-api", "io.nines.query.QueryApiMain")
        .classpath(System.getProperty("java.class.path"))
        .jvmOptions("-Xmx512m")
        .args(apiArgs.toArray(String[]::new))
        .readyLine("Query API ready");
    apiProcess = apiLaunch.start();
    children.add(apiProcess);
    adminToken = Files.readString(tokenFile).strip();
    List<String> streamingArgs = new ArrayList<>(List.of("--kafka-bootstrap=" + kafka.bootstrapServers(),
        "--spans-topic=" + spansTopic, "--metrics-topic=" + metricsTopic, "--slo-topic=" + sloTopic,
        "--alerts-topic=" + alertsTopic, "--group-id=" + NinesInfra.uniqueName("e2e"), "--clickhouse-url=" + jdbc,
        "--checkpoint-dir=" + work.resolve("checkpoints").toUri(), "--checkpoint-interval=5s",
        "--early-firing=2s", "--progress-interval=2s"));
    streamingArgs.addAll(extraStreamingArgs);
    streamingLaunch = ChildJvm.builder("e2e-streaming", "io.nines.streaming.StreamingMain")
        .classpath(deployable("streaming"))
        .jvmOptions("-Xmx1g")
        .args(streamingArgs.toArray(String[]::new))
        .readyLine("Streaming job running")
        .startupTimeout(Duration.ofSeconds(180));
    streamingProcess = streamingLaunch.start();
    children.add(streamingProcess);
    children.add(ChildJvm.builder("e2e-collector", "io.nines.collector.CollectorMain")
        .classpath(deployable("collector"))
        .jvmOptions("-Xmx512m")
        .args("--otlp-http-host=127.0.0.1", "--otlp-http-port=" + collectorPort,
            "--otlp-grpc-port=" + FreePorts.next(), "--metrics-port=" + FreePorts.next(),
            "--kafka-bootstrap=" + kafka.bootstrapServers(), "--spans-topic=" + spansTopic,
            "--metrics-topic=" + metricsTopic)
        .readyLine("Collector ready")
        .start());
  }

  String api() {
    return api;
  }

  /** The JDBC URL of this platform's ClickHouse database, for reading what the job wrote while the API is down. */
  String jdbcUrl() {
    return jdbc;
  }

  /** Stops the API as an operator would (SIGTERM, clean shutdown); {@link #startApi()} brings it back. */
  void stopApi() {
    apiProcess.stop();
  }

  /** Starts the API again on the same port, database and admin token file. */
  void startApi() {
    apiProcess = apiLaunch.start();
    children.add(apiProcess);
  }

  /**
   * Kills the streaming job's process (SIGKILL, no clean shutdown, as in a crash) and starts it again; it
   * resumes from the newest checkpoint retained in its checkpoint directory.
   */
  void crashAndRestartStreaming() {
    streamingProcess.kill();
    streamingProcess = streamingLaunch.start();
    children.add(streamingProcess);
  }

  int collectorPort() {
    return collectorPort;
  }

  List<ChildJvm> children() {
    return List.copyOf(children);
  }

  /** A GET with the admin token, answered 200 or 404. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + path)).GET());
    if (response.statusCode() != 200 && response.statusCode() != 404) {
      throw new AssertionError(path + " -> " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.header("Authorization", "Bearer " + adminToken).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An OpenTelemetry SDK exporting a service's spans over OTLP/HTTP to this platform's collector. */
  OpenTelemetrySdk sdk(String serviceName) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + collectorPort + "/v1/traces")
        .build();
    SdkTracerProvider tracing = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter)
            // the SDK drops spans when its queue is full: hold the whole test load
            .setMaxQueueSize(10_000).setMaxExportBatchSize(512)
            // export often: the alerting test measures seconds from a failed request to a page
            .setScheduleDelay(Duration.ofMillis(200)).build())
        .build();
    return OpenTelemetrySdk.builder().setTracerProvider(tracing).build();
  }

  /**
   * An OpenTelemetry SDK meter provider exporting a service's metrics over OTLP/HTTP to this platform's collector,
   * cumulative as the SDK's default; {@code forceFlush} exports.
   */
  SdkMeterProvider meters(String serviceName) {
    OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
        .setEndpoint("http://127.0.0.1:" + collectorPort + "/v1/metrics")
        .build();
    return SdkMeterProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
        .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofMinutes(10)).build())
        .build();
  }

  @Override
  public void close() {
    for (int i = children.size() - 1; i >= 0; i--) {
      children.get(i).close();
    }
  }

  private static String deployable(String module) {
    String root = System.getProperty("nines.root");
    String jar = root + "/" + module + "/target/" + module + "-0.1.0-SNAPSHOT.jar";
    if (!new File(jar).isFile()) {
      throw new IllegalStateException(jar + " is missing: build with ./nines test (mvn verify from the root)");
    }
    return jar + File.pathSeparator + root + "/" + module + "/target/lib/*";
  }
}
