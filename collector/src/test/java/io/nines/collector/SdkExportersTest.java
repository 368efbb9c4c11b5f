package io.nines.collector;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.nines.infra.testing.EmbeddedKafka;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Traces, metrics and logs from the OpenTelemetry SDK's own exporters, over gRPC and HTTP, into Kafka. */
class SdkExportersTest extends WithRunningCollector {

    SdkExportersTest(EmbeddedKafka kafka) {
        super(kafka, "sdk");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void landsEverySpanInKafkaOnce(String transport) throws Exception {
        SpanExporter exporter = transport.equals("grpc")
                ? OtlpGrpcSpanExporter.builder().setEndpoint(grpcEndpoint()).setCompression("gzip").build()
                : OtlpHttpSpanExporter.builder().setEndpoint(httpEndpoint("/v1/traces")).build();
        try {
            assertThat(exporter.export(SdkData.finishedSpans("checkout", "POST /checkout", 10, 20, 30, 40))
                    .join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(exporter.export(SdkData.finishedSpans("payments", "POST /charge", 5, 6))
                    .join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
        } finally {
            exporter.shutdown().join(5, TimeUnit.SECONDS);
        }

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            List<ConsumerRecord<String, byte[]>> records = reader.awaitAtLeast(2);
            assertThat(reader.drain(Duration.ofMillis(300))).hasSize(2);
            assertThat(records).extracting(ConsumerRecord::key).containsExactly("checkout", "payments");
            assertThat(Spans.spanIds(records)).hasSize(6).doesNotHaveDuplicates();
        }
        assertThat(metrics()).contains("nines_collector_spans_total{outcome=\"accepted\",reason=\"none\",transport=\""
                + transport + "\"} 6.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void landsEveryDataPointInKafka(String transport) throws Exception {
        MetricExporter exporter = transport.equals("grpc")
                ? OtlpGrpcMetricExporter.builder().setEndpoint(grpcEndpoint()).build()
                : OtlpHttpMetricExporter.builder().setEndpoint(httpEndpoint("/v1/metrics")).setCompression("gzip").build();
        try (SdkMeterProvider provider = SdkMeterProvider.builder().setResource(SdkData.service("checkout"))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                .build()) {
            Meter meter = provider.get("io.nines.collector.test");
            LongCounter requests = meter.counterBuilder("requests").build();
            DoubleHistogram latency = meter.histogramBuilder("latency").setUnit("ms").build();
            for (String route : List.of("/a", "/b", "/c")) {
                requests.add(2, Attributes.of(stringKey("route"), route));
            }
            latency.record(12.5, Attributes.of(stringKey("route"), "/a"));
            latency.record(40, Attributes.of(stringKey("route"), "/b"));

            assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
            // read before the provider closes: closing exports the cumulative state once more
            assertOneRecordWithFivePoints();
        }
        int pointsInKafka;
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic + "_metrics")) {
            reader.awaitAtLeast(2);
            pointsInKafka = reader.drain(Duration.ofMillis(300)).stream().mapToInt(SdkExportersTest::points).sum();
        }
        assertThat(metrics()).contains("nines_collector_metric_points_total{outcome=\"accepted\",reason=\"none\","
                + "transport=\"" + transport + "\"} " + pointsInKafka + ".0");
    }

    private static int points(ConsumerRecord<String, byte[]> record) {
        try {
            // every scope: the SDK may add its own (internal telemetry) to later exports
            return ExportMetricsServiceRequest.parseFrom(record.value()).getResourceMetricsList().stream()
                    .flatMap(r -> r.getScopeMetricsList().stream()).flatMap(s -> s.getMetricsList().stream())
                    .mapToInt(m -> m.getSum().getDataPointsCount() + m.getGauge().getDataPointsCount()
                            + m.getHistogram().getDataPointsCount() + m.getExponentialHistogram().getDataPointsCount()
                            + m.getSummary().getDataPointsCount()).sum();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertOneRecordWithFivePoints() throws Exception {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic + "_metrics")) {
            List<ConsumerRecord<String, byte[]>> records = reader.awaitAtLeast(1);
            assertThat(reader.drain(Duration.ofMillis(300))).hasSize(1);
            List<Metric> metrics = ExportMetricsServiceRequest.parseFrom(records.get(0).value()).getResourceMetrics(0)
                    .getScopeMetrics(0).getMetricsList();
            assertThat(metrics).extracting(Metric::getName).containsExactlyInAnyOrder("requests", "latency");
            assertThat(metrics).extracting(m -> m.hasSum() ? m.getSum().getDataPointsCount()
                    : m.getHistogram().getDataPointsCount()).containsExactlyInAnyOrder(3, 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grpc", "http"})
    void landsEveryLogRecordInKafka(String transport) throws Exception {
        LogRecordExporter exporter = transport.equals("grpc")
                ? OtlpGrpcLogRecordExporter.builder().setEndpoint(grpcEndpoint()).build()
                : OtlpHttpLogRecordExporter.builder().setEndpoint(httpEndpoint("/v1/logs")).build();
        try (SdkLoggerProvider provider = SdkLoggerProvider.builder().setResource(SdkData.service("checkout"))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build()) {
            Logger logger = provider.get("io.nines.collector.test");
            for (int i = 0; i < 4; i++) {
                logger.logRecordBuilder().setBody("order " + i + " paid").setTimestamp(SdkData.T0).emit();
            }
            assertThat(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess()).isTrue();
        }

        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic + "_logs")) {
            List<ConsumerRecord<String, byte[]>> records = reader.awaitAtLeast(4);
            List<ConsumerRecord<String, byte[]>> all = reader.drain(Duration.ofMillis(300));
            List<String> bodies = all.stream().flatMap(record -> {
                try {
                    return ExportLogsServiceRequest.parseFrom(record.value()).getResourceLogsList().stream();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).flatMap(r -> r.getScopeLogsList().stream()).flatMap(s -> s.getLogRecordsList().stream())
                    .map(log -> log.getBody().getStringValue()).toList();
            assertThat(bodies).containsExactlyInAnyOrder("order 0 paid", "order 1 paid", "order 2 paid", "order 3 paid");
            assertThat(records).extracting(ConsumerRecord::key).containsOnly("checkout");
        }
        assertThat(metrics()).contains("nines_collector_log_records_total{outcome=\"accepted\",reason=\"none\","
                + "transport=\"" + transport + "\"} 4.0");
    }

    private String grpcEndpoint() {
        return "http://127.0.0.1:" + collector.otlpGrpcPort();
    }

    private String httpEndpoint(String path) {
        return "http://127.0.0.1:" + collector.otlpHttpPort() + path;
    }

    private String metrics() throws Exception {
        return new TestRequests(collector.metricsPort()).get("/metrics").body();
    }
}
