package io.nines.streaming.otlp;

import static io.nines.streaming.testing.OtlpSpans.attribute;
import static io.nines.streaming.testing.OtlpSpans.failed;
import static io.nines.streaming.testing.OtlpSpans.record;
import static io.nines.streaming.testing.OtlpSpans.server;
import static io.nines.streaming.testing.OtlpSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpanDecoderTest {

    private static final Instant END = Instant.parse("2026-11-29T10:15:42.123456789Z");

    private final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
    private MockEnvironment environment;
    private OneInputStreamOperatorTestHarness<OtlpRecord, SpanEvent> harness;

    @BeforeEach
    void openHarness() throws Exception {
        environment = new MockEnvironmentBuilder().setMetricGroup(new InterceptingTaskMetricGroup() {
            @Override
            public InternalOperatorMetricGroup getOrAddOperator(OperatorID id, String name, Map<String, String> info) {
                return metrics;
            }
        }).build();
        harness = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new SpanDecoder()), environment);
        harness.open();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
        environment.close();
    }

    @Test
    void decodesServerAndConsumerSpansWithServiceOperationEndAndDuration() throws Exception {
        decode(record("checkout", List.of(
                server("POST /checkout", END, 12_345),
                span("orders process", Span.SpanKind.SPAN_KIND_CONSUMER, END, 250))));

        assertThat(harness.extractOutputValues()).containsExactly(
                new SpanEvent("checkout", "POST /checkout", END.toEpochMilli(), 12.345, false),
                new SpanEvent("checkout", "orders process", END.toEpochMilli(), 0.25, false));
        assertThat(counter("entrySpans")).isEqualTo(2);
    }

    @Test
    void ignoresClientProducerAndInternalSpansSoNoRequestCountsTwice() throws Exception {
        decode(record("checkout", List.of(
                span("GET /price", Span.SpanKind.SPAN_KIND_CLIENT, END, 100),
                span("orders publish", Span.SpanKind.SPAN_KIND_PRODUCER, END, 100),
                span("render", Span.SpanKind.SPAN_KIND_INTERNAL, END, 100),
                span("legacy", Span.SpanKind.SPAN_KIND_UNSPECIFIED, END, 100))));

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(counter("ignoredSpans")).isEqualTo(4);
        assertThat(harness.getSideOutput(SpanDecoder.REJECTED)).isNull();
    }

    @Test
    void namesSpansWithoutServiceNameUnknownService() throws Exception {
        decode(record(null, List.of(server("GET /", END, 1_000))));

        assertThat(harness.extractOutputValues())
                .extracting(SpanEvent::service).containsExactly("unknown_service");
    }

    @Test
    void countsStatusErrorHttp5xxAndServerSideGrpcCodesAsErrors() throws Exception {
        decode(record("api", List.of(
                failed(server("status error", END, 1)),
                server("http 500", END, 1).addAttributes(attribute("http.response.status_code", 500)),
                server("legacy http 503", END, 1).addAttributes(attribute("http.status_code", 503)),
                server("string http 502", END, 1).addAttributes(attribute("http.response.status_code", "502")),
                server("grpc unavailable", END, 1).addAttributes(attribute("rpc.grpc.status_code", 14)),
                server("grpc deadline", END, 1).addAttributes(attribute("rpc.grpc.status_code", 4)))));

        assertThat(harness.extractOutputValues()).extracting(SpanEvent::error).containsOnly(true).hasSize(6);
    }

    @Test
    void doesNotCountClientErrorsOrBenignGrpcCodesAsErrors() throws Exception {
        decode(record("api", List.of(
                server("http 404", END, 1).addAttributes(attribute("http.response.status_code", 404)),
                server("http 499", END, 1).addAttributes(attribute("http.status_code", 499)),
                server("grpc not found", END, 1).addAttributes(attribute("rpc.grpc.status_code", 5)),
                server("grpc ok", END, 1).addAttributes(attribute("rpc.grpc.status_code", 0)),
                server("odd status text", END, 1).addAttributes(attribute("http.status_code", "n/a")))));

        assertThat(harness.extractOutputValues()).extracting(SpanEvent::error).containsOnly(false).hasSize(5);
    }

    @Test
    void routesRecordsThatAreNotOtlpAsideByPositionAndKeepsGoing() throws Exception {
        harness.processElement(new StreamRecord<>(
                new OtlpRecord("otlp_spans", 2, 41, "{\"not\": \"protobuf\"}".getBytes(StandardCharsets.UTF_8))));
        harness.processElement(new StreamRecord<>(new OtlpRecord("otlp_spans", 2, 42, null)));
        harness.processElement(new StreamRecord<>(
                new OtlpRecord("otlp_spans", 2, 43, record("checkout", List.of(server("GET /", END, 1))))));

        assertThat(harness.getSideOutput(SpanDecoder.REJECTED))
                .extracting(StreamRecord::getValue)
                .extracting(RejectedRecord::topic, RejectedRecord::partition, RejectedRecord::offset)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("otlp_spans", 2, 41L),
                        org.assertj.core.groups.Tuple.tuple("otlp_spans", 2, 42L));
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(counter("undecodableRecords")).isEqualTo(2);
    }

    @Test
    void routesSpansThatEndBeforeTheyStartAsideAndCountsThem() throws Exception {
        decode(record("checkout", List.of(
                server("backwards", END, 1_000).setStartTimeUnixNano(Long.MAX_VALUE),
                server("fine", END, 1_000))));

        assertThat(harness.getSideOutput(SpanDecoder.REJECTED))
                .extracting(rejected -> rejected.getValue().reason())
                .singleElement().asString().contains("'backwards'", "'checkout'", "ends before it starts");
        assertThat(harness.extractOutputValues()).extracting(SpanEvent::operation).containsExactly("fine");
        assertThat(counter("invalidSpans")).isEqualTo(1);
    }

    private void decode(byte[] value) throws Exception {
        harness.processElement(new StreamRecord<>(new OtlpRecord("otlp_spans", 0, 7, value)));
    }

    private long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }
}
