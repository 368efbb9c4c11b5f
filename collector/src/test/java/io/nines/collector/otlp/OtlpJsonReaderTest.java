package io.nines.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming trace reader reads what the tree pass plus {@code JsonFormat} read, and refuses what they refuse:
 * the OpenTelemetry example, a request using every span field and attribute type (printed with JSON names and
 * with proto names), and hand-written documents with OTLP's variations. (Where {@code JsonFormat} is lenient by
 * accident, taking a one-element array for a scalar, the reader refuses.)
 */
class OtlpJsonReaderTest {

    private final OtlpJson json = new OtlpJson();

    static Stream<String> documents() throws IOException {
        ExportTraceServiceRequest rich = richRequest();
        OtlpJson printer = new OtlpJson();
        String camel = printer.print(rich);
        return Stream.of(
                example("otlp-examples/trace.json"),
                camel,
                protoNames(rich),
                camel.replace("\"kind\":\"SPAN_KIND_SERVER\"", "\"kind\":2")
                        .replace("\"code\":\"STATUS_CODE_ERROR\"", "\"code\":2"),
                "{}",
                "",
                """
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C",
                 "startTimeUnixNano":"18446744073709551615","endTimeUnixNano":1544712661000000001,
                 "droppedAttributesCount":"7","flags":1.0,"kind":"SPAN_KIND_FROM_THE_FUTURE","futureField":[{"a":null}],
                 "status":null,"name":17,"attributes":[{"key":"d","value":{"doubleValue":"NaN"}},
                 {"key":"e","value":{"doubleValue":1e300}},{"key":"i","value":{"intValue":"-9223372036854775808"}},
                 {"key":"b","value":{"boolValue":"true"}},{"key":"x","value":{"bytesValue":"AQID_w=="}}]}]}]}]}""",
                """
                {"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"","span_id":"0102030405060708",
                 "parent_span_id":"abcdefABCDEF0123","kind":99,"events":[{"time_unix_nano":"1e3","name":"e"}]}]}],
                 "schema_url":"https://opentelemetry.io/schemas/1.21.0"}]}""");
    }

    static Stream<String> badDocuments() {
        return Stream.of(
                "[1,2]",
                "\"text\"",
                "{\"resourceSpans\":\"many\"}",
                "{\"resourceSpans\":[7]}",
                "{\"resourceSpans\":[null]}",
                "{\"resourceSpans\":{}}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":1e30}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":-1}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":{\"no\":1}}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"droppedAttributesCount\":4294967296}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"droppedAttributesCount\":1.5}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":{\"a\":1}}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":{\"boolValue\":1}}]}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":"
                        + "{\"intValue\":1,\"stringValue\":\"two values of one oneof\"}}]}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"01\",\"trace_id\":\"02\"}]}]}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"value\":"
                        + "{\"bytesValue\":\"not base64!\"}}]}]}]}]}",
                // 3 levels of messages per kvlist: 120 in all, over protobuf's limit of 100
                "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
                        + "{\"key\":\"k\",\"value\":{\"kvlistValue\":{\"values\":[".repeat(40)
                        + "]}}}".repeat(40) + "]}}]}",
                "{\"resourceSpans\":[{\"scopeSpans\":");
    }

    @ParameterizedTest
    @MethodSource("documents")
    void readsWhatJsonFormatReads(String document) throws Exception {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        ExportTraceServiceRequest.Builder expected = ExportTraceServiceRequest.newBuilder();
        json.mergeWithJsonFormat(bytes, expected);
        ExportTraceServiceRequest.Builder streamed = ExportTraceServiceRequest.newBuilder();
        json.merge(bytes, streamed);

        assertThat(streamed.build()).isEqualTo(expected.build());
    }

    @ParameterizedTest
    @MethodSource("badDocuments")
    void refusesWhatJsonFormatRefuses(String document) {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> json.mergeWithJsonFormat(bytes, ExportTraceServiceRequest.newBuilder()))
                .isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> json.merge(bytes, ExportTraceServiceRequest.newBuilder()))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void readsTheRichRequestWhole() throws Exception {
        ExportTraceServiceRequest rich = richRequest();
        ExportTraceServiceRequest.Builder streamed = ExportTraceServiceRequest.newBuilder();
        json.merge(json.print(rich).getBytes(StandardCharsets.UTF_8), streamed);

        assertThat(streamed.build()).isEqualTo(rich);
    }

    /** Every field of a span, and every kind of attribute value. */
    private static ExportTraceServiceRequest richRequest() {
        AnyValue nested = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                .addValues(attribute("inner", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setIntValue(-3))
                        .addValues(AnyValue.newBuilder().setDoubleValue(0.25))
                        .addValues(AnyValue.newBuilder().setBoolValue(true))
                        .addValues(AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, -1, 0})))
                        .addValues(AnyValue.newBuilder().setStringValue("ünïcödé \" \\ \n"))).build()))).build();
        Span span = Span.newBuilder()
                .setTraceId(id("5b8efff798038103d269b633813fc60c")).setSpanId(id("eee19b7ec3c1b174"))
                .setParentSpanId(id("eee19b7ec3c1b173")).setTraceState("vendor=a,other=b").setFlags(257)
                .setName("GET /orders/{id}").setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(1_544_712_660_000_000_000L).setEndTimeUnixNano(-2L)
                .addAttributes(attribute("http.route", AnyValue.newBuilder().setStringValue("/orders/{id}").build()))
                .addAttributes(attribute("nested", nested))
                .addAttributes(attribute("big", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()))
                .setDroppedAttributesCount(3)
                .addEvents(Span.Event.newBuilder().setTimeUnixNano(5).setName("exception")
                        .addAttributes(attribute("exception.type", AnyValue.newBuilder().setStringValue("E").build()))
                        .setDroppedAttributesCount(1))
                .setDroppedEventsCount(2)
                .addLinks(Span.Link.newBuilder().setTraceId(id("0102030405060708090a0b0c0d0e0f10"))
                        .setSpanId(id("0102030405060708")).setTraceState("x=y").setFlags(1).setDroppedAttributesCount(4))
                .setDroppedLinksCount(5)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
                .build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder()
                        .addAttributes(attribute("service.name", AnyValue.newBuilder().setStringValue("shop").build()))
                        .setDroppedAttributesCount(6))
                .addScopeSpans(ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.0")
                                .setDroppedAttributesCount(7))
                        .addAllSpans(List.of(span, span.toBuilder().setName("second").build()))
                        .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0"))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.20.0")).build();
    }

    /** The proto field names, ids as hex: JsonFormat prints base64, so they are rewritten as OtlpJson does. */
    private static String protoNames(ExportTraceServiceRequest request) throws InvalidProtocolBufferException {
        String printed = JsonFormat.printer().preservingProtoFieldNames().print(request);
        for (String hex : List.of("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "eee19b7ec3c1b173",
                "0102030405060708090a0b0c0d0e0f10", "0102030405060708")) {
            String base64 = java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
            printed = printed.replace("\"" + base64 + "\"", "\"" + hex + "\"");
        }
        assertThat(printed).contains("\"trace_id\": \"5b8efff798038103d269b633813fc60c\"");
        return printed;
    }

    private static String example(String resource) throws IOException {
        try (InputStream in = OtlpJsonReaderTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static KeyValue attribute(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static ByteString id(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }
}
