package io.nines.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

    private final OtlpJson json = new OtlpJson();

    @Test
    void readsIdsAsHexInEitherCaseAndKindAsANumberOrAName() throws Exception {
        Span byNumber = firstSpan("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C",
                 "spanId":"eee19b7ec3c1b174","parentSpanId":"EEE19B7EC3C1B173","kind":2,"name":"a"}]}]}]}""");
        Span byName = firstSpan("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SPAN_KIND_SERVER"}]}]}]}""");

        assertThat(byNumber.getTraceId()).isEqualTo(bytes("5b8efff798038103d269b633813fc60c"));
        assertThat(byNumber.getSpanId()).isEqualTo(bytes("eee19b7ec3c1b174"));
        assertThat(byNumber.getParentSpanId()).isEqualTo(bytes("eee19b7ec3c1b173"));
        assertThat(byNumber.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(byName.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    }

    @Test
    void readsSixtyFourBitIntegersAsStringsOrNumbersBeyondTheDoubleRange() throws Exception {
        Span span = firstSpan("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[
                 {"startTimeUnixNano":"18446744073709551615","endTimeUnixNano":1544712661000000001}]}]}]}""");

        assertThat(span.getStartTimeUnixNano()).isEqualTo(-1L); // 2^64 - 1 as an unsigned fixed64
        assertThat(span.getEndTimeUnixNano()).isEqualTo(1_544_712_661_000_000_001L);
    }

    @Test
    void takesSnakeCaseKeysAndIgnoresUnknownFields() throws Exception {
        Span span = firstSpan("""
                {"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"0102030405060708090a0b0c0d0e0f10",
                 "span_id":"0102030405060708","name":"x","futureField":{"nested":[1,2]},"links":[
                 {"trace_id":"1102030405060708090a0b0c0d0e0f10","spanId":"1102030405060708"}]}]}],
                 "somethingNew":true}]}""");

        assertThat(span.getTraceId()).isEqualTo(bytes("0102030405060708090a0b0c0d0e0f10"));
        assertThat(span.getSpanId()).isEqualTo(bytes("0102030405060708"));
        assertThat(span.getLinks(0).getTraceId()).isEqualTo(bytes("1102030405060708090a0b0c0d0e0f10"));
        assertThat(span.getLinks(0).getSpanId()).isEqualTo(bytes("1102030405060708"));
    }

    @Test
    void readsIdsOfLogRecordsAndExemplars() throws Exception {
        ExportLogsServiceRequest.Builder logs = ExportLogsServiceRequest.newBuilder();
        json.merge(utf8("""
                {"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":"0102030405060708090a0b0c0d0e0f10",
                 "spanId":"0102030405060708"}]}]}]}"""), logs);
        ExportMetricsServiceRequest.Builder metrics = ExportMetricsServiceRequest.newBuilder();
        json.merge(utf8("""
                {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","gauge":{"dataPoints":[{"asInt":"3",
                 "exemplars":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708"}]}]}}]}]}]}"""),
                metrics);

        assertThat(logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getTraceId())
                .isEqualTo(bytes("0102030405060708090a0b0c0d0e0f10"));
        assertThat(metrics.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(0)
                .getExemplars(0).getSpanId()).isEqualTo(bytes("0102030405060708"));
        assertThat(metrics.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(0)
                .getAsInt()).isEqualTo(3);
    }

    @Test
    void printsIdsAsHexAndReadsItsOwnOutputBack() throws Exception {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        json.merge(utf8("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
                 "spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1544712660000000000"}]}]}]}"""), request);

        String printed = json.print(request.build());
        ExportTraceServiceRequest.Builder again = ExportTraceServiceRequest.newBuilder();
        json.merge(utf8(printed), again);

        assertThat(printed).contains("\"traceId\":\"5b8efff798038103d269b633813fc60c\"")
                .contains("\"spanId\":\"eee19b7ec3c1b174\"");
        assertThat(again.build()).isEqualTo(request.build());
    }

    @Test
    void refusesBadHexWrongTypesAndNonObjects() {
        assertThatThrownBy(() -> firstSpan("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"not hex at all"}]}]}]}"""))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessage("trace and span ids must be hex but got \"not hex at all\"");
        assertThatThrownBy(() -> firstSpan("{\"resourceSpans\":\"many\"}"))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> firstSpan("""
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":{"no":1}}]}]}]}"""))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> firstSpan("[1,2]"))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessage("expected a JSON object but got ARRAY");
        assertThatThrownBy(() -> firstSpan("{\"resourceSpans\":["))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    private Span firstSpan(String document) throws InvalidProtocolBufferException {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        json.merge(utf8(document), request);
        return request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
