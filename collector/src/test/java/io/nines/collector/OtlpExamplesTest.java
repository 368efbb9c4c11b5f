package io.nines.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.nines.infra.testing.EmbeddedKafka;
import io.nines.infra.testing.NinesInfra;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenTelemetry project's own example requests (copied into {@code src/test/resources/otlp-examples}), sent as OTLP/HTTP JSON:
 * each is accepted, and the Kafka record holds exactly what the file says.
 */
@ExtendWith(NinesInfra.class)
class OtlpExamplesTest {

    private static final long T = 1_544_712_660_300_000_000L;
    private static final String JSON = "application/json";

    private final EmbeddedKafka kafka;
    private final String spansTopic = NinesInfra.uniqueName("examples");
    private RunningCollector collector;
    private TestRequests client;

    OtlpExamplesTest(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    @BeforeEach
    void start() throws Exception {
        collector = CollectorMain.start(TestConfigs.collector(kafka.bootstrapServers(), spansTopic));
        client = new TestRequests(collector.otlpHttpPort());
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    @Test
    void acceptsTheTraceExampleAndWritesItsServerSpanExactly() throws Exception {
        assertAcceptedWithJsonBody(client.post("/v1/traces", JSON, example("trace.json")));

        ConsumerRecord<String, byte[]> record = onlyRecord(spansTopic);
        assertThat(record.key()).isEqualTo("my.service");
        ResourceSpans resource = ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpans(0);
        assertThat(resource.getResource().getAttributesList()).containsExactly(string("service.name", "my.service"));
        assertThat(resource.getScopeSpans(0).getScope().getName()).isEqualTo("my.library");
        assertThat(resource.getScopeSpans(0).getScope().getVersion()).isEqualTo("1.0.0");
        assertThat(resource.getScopeSpans(0).getScope().getAttributesList())
                .containsExactly(string("my.scope.attribute", "some scope attribute"));
        Span span = resource.getScopeSpans(0).getSpans(0);
        assertThat(span.getTraceId()).isEqualTo(hex("5B8EFFF798038103D269B633813FC60C"));
        assertThat(span.getSpanId()).isEqualTo(hex("EEE19B7EC3C1B174"));
        assertThat(span.getParentSpanId()).isEqualTo(hex("EEE19B7EC3C1B173"));
        assertThat(span.getName()).isEqualTo("I'm a server span");
        assertThat(span.getStartTimeUnixNano()).isEqualTo(1_544_712_660_000_000_000L);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(1_544_712_661_000_000_000L);
        assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(span.getAttributesList()).containsExactly(string("my.span.attr", "some value"));
    }

    @Test
    void acceptsTheMetricsExampleWithItsSumGaugeAndHistogram() throws Exception {
        assertAcceptedWithJsonBody(client.post("/v1/metrics", JSON, example("metrics.json")));

        ConsumerRecord<String, byte[]> record = onlyRecord(spansTopic + "_metrics");
        assertThat(record.key()).isEqualTo("my.service");
        List<Metric> metrics = ExportMetricsServiceRequest.parseFrom(record.value()).getResourceMetrics(0)
                .getScopeMetrics(0).getMetricsList();
        assertThat(metrics).extracting(Metric::getName).containsExactly("my.counter", "my.gauge", "my.histogram");
        Metric counter = metrics.get(0);
        assertThat(counter.getUnit()).isEqualTo("1");
        assertThat(counter.getDescription()).isEqualTo("I`m a Counter");
        assertThat(counter.getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        assertThat(counter.getSum().getIsMonotonic()).isTrue();
        assertThat(counter.getSum().getDataPointsList()).containsExactly(NumberDataPoint.newBuilder().setAsDouble(5)
                .setStartTimeUnixNano(T).setTimeUnixNano(T)
                .addAttributes(string("my.counter.attr", "some value")).build());
        assertThat(metrics.get(1).getGauge().getDataPointsList()).containsExactly(NumberDataPoint.newBuilder()
                .setAsDouble(10).setTimeUnixNano(T).addAttributes(string("my.gauge.attr", "some value")).build());
        HistogramDataPoint histogram = metrics.get(2).getHistogram().getDataPoints(0);
        assertThat(metrics.get(2).getHistogram().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        assertThat(histogram).isEqualTo(HistogramDataPoint.newBuilder().setStartTimeUnixNano(T).setTimeUnixNano(T)
                .setCount(3).setSum(3).addAllBucketCounts(List.of(1L, 1L, 1L)).addExplicitBounds(1).setMin(1).setMax(1)
                .addAttributes(string("my.histogram.attr", "some value")).build());
    }

    @Test
    void acceptsTheLogsExampleWithEveryAttributeType() throws Exception {
        assertAcceptedWithJsonBody(client.post("/v1/logs", JSON, example("logs.json")));

        ConsumerRecord<String, byte[]> record = onlyRecord(spansTopic + "_logs");
        assertThat(record.key()).isEqualTo("my.service");
        LogRecord log = ExportLogsServiceRequest.parseFrom(record.value()).getResourceLogs(0).getScopeLogs(0)
                .getLogRecords(0);
        assertThat(log.getTimeUnixNano()).isEqualTo(T);
        assertThat(log.getObservedTimeUnixNano()).isEqualTo(T);
        assertThat(log.getSeverityText()).isEqualTo("Information");
        assertThat(log.getTraceId()).isEqualTo(hex("5B8EFFF798038103D269B633813FC60C"));
        assertThat(log.getSpanId()).isEqualTo(hex("EEE19B7EC3C1B174"));
        assertThat(log.getBody().getStringValue()).isEqualTo("Example log record");
        assertThat(log.getAttributesList()).containsExactly(
                string("string.attribute", "some string"),
                KeyValue.newBuilder().setKey("boolean.attribute").setValue(AnyValue.newBuilder().setBoolValue(true)).build(),
                KeyValue.newBuilder().setKey("int.attribute").setValue(AnyValue.newBuilder().setIntValue(10)).build(),
                KeyValue.newBuilder().setKey("double.attribute")
                        .setValue(AnyValue.newBuilder().setDoubleValue(637.704)).build(),
                KeyValue.newBuilder().setKey("array.attribute").setValue(AnyValue.newBuilder().setArrayValue(
                        io.opentelemetry.proto.common.v1.ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("many"))
                                .addValues(AnyValue.newBuilder().setStringValue("values")))).build(),
                KeyValue.newBuilder().setKey("map.attribute").setValue(AnyValue.newBuilder().setKvlistValue(
                        io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
                                .addValues(string("some.map.key", "some value")))).build());
    }

    private static void assertAcceptedWithJsonBody(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON);
        assertThat(new String(response.body())).isEqualTo("{}");
    }

    private ConsumerRecord<String, byte[]> onlyRecord(String topic) {
        try (TopicReader reader = new TopicReader(kafka.bootstrapServers(), topic)) {
            List<ConsumerRecord<String, byte[]>> records = reader.awaitAtLeast(1);
            assertThat(reader.drain(Duration.ofMillis(300))).hasSize(1);
            return records.get(0);
        }
    }

    static byte[] example(String name) throws Exception {
        try (var in = OtlpExamplesTest.class.getResourceAsStream("/otlp-examples/" + name)) {
            assertThat(in).as("the OpenTelemetry example payload " + name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static KeyValue string(String key, String value) {
        return Spans.attribute(key, value);
    }

    private static ByteString hex(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
