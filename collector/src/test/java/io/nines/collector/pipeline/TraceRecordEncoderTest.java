package io.nines.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceRecordEncoderTest {

    private final TraceRecordEncoder encoder = new TraceRecordEncoder(1_000_000);

    @Test
    void writesOneRecordPerResourceKeyedByServiceName() throws InvalidProtocolBufferException {
        ResourceSpans checkout = resource(named("checkout"), scope("http", spans("a", 2, 0)));
        ResourceSpans payments = resource(named("payments"), scope("http", spans("b", 3, 0)), scope("db", spans("c", 1, 0)));
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(checkout).addResourceSpans(payments).build();

        List<OutboundRecord> records = encoder.encode(request);

        assertThat(records).extracting(OutboundRecord::key).containsExactly("checkout", "payments");
        assertThat(records).extracting(OutboundRecord::items).containsExactly(2, 4);
        assertThat(ExportTraceServiceRequest.parseFrom(records.get(0).value()))
                .isEqualTo(ExportTraceServiceRequest.newBuilder().addResourceSpans(checkout).build());
        assertThat(ExportTraceServiceRequest.parseFrom(records.get(1).value()))
                .isEqualTo(ExportTraceServiceRequest.newBuilder().addResourceSpans(payments).build());
        assertThat(TraceRecordEncoder.spanCount(request)).isEqualTo(6);
    }

    @Test
    void keysResourcesWithoutUsableServiceNameAsUnknownService() {
        Resource missing = Resource.getDefaultInstance();
        Resource empty = named("");
        Resource notAString = Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setIntValue(7))).build();
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource(missing, scope("s", spans("a", 1, 0))))
                .addResourceSpans(resource(empty, scope("s", spans("b", 1, 0))))
                .addResourceSpans(resource(notAString, scope("s", spans("c", 1, 0))))
                .build();

        assertThat(encoder.encode(request)).extracting(OutboundRecord::key)
                .containsExactly("unknown_service", "unknown_service", "unknown_service");
    }

    @Test
    void leavesOutResourcesWithoutSpans() {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(resource(named("idle")))
                .addResourceSpans(resource(named("idle-scope"), scope("s", List.of())))
                .addResourceSpans(resource(named("busy"), scope("s", spans("a", 1, 0))))
                .build();

        assertThat(encoder.encode(request)).extracting(OutboundRecord::key).containsExactly("busy");
        assertThat(encoder.encode(ExportTraceServiceRequest.getDefaultInstance())).isEmpty();
    }

    @Test
    void cutsAnOversizedResourceIntoRecordsWithinTheLimitKeepingEverySpanInOrder()
            throws InvalidProtocolBufferException {
        int limit = 16 * 1024;
        TraceRecordEncoder small = new TraceRecordEncoder(limit);
        List<Span> first = spans("x", 150, 300);
        List<Span> second = spans("y", 70, 700);
        ResourceSpans big = resource(named("chatty"), scope("first", first), scope("second", second));

        List<OutboundRecord> records = small.encode(ExportTraceServiceRequest.newBuilder().addResourceSpans(big).build());

        assertThat(records.size()).isGreaterThan(1);
        List<Span> decoded = new ArrayList<>();
        List<String> scopes = new ArrayList<>();
        int items = 0;
        for (OutboundRecord record : records) {
            assertThat(record.key()).isEqualTo("chatty");
            assertThat(record.value().length).isLessThanOrEqualTo(limit);
            ExportTraceServiceRequest chunk = ExportTraceServiceRequest.parseFrom(record.value());
            assertThat(chunk.getResourceSpansCount()).isEqualTo(1);
            ResourceSpans resource = chunk.getResourceSpans(0);
            assertThat(resource.getResource()).isEqualTo(big.getResource());
            assertThat(resource.getSchemaUrl()).isEqualTo(big.getSchemaUrl());
            int spansInChunk = 0;
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                assertThat(scope.getSpansCount()).isPositive();
                scopes.add(scope.getScope().getName());
                decoded.addAll(scope.getSpansList());
                spansInChunk += scope.getSpansCount();
            }
            assertThat(record.items()).isEqualTo(spansInChunk);
            items += record.items();
        }
        List<Span> expected = new ArrayList<>(first);
        expected.addAll(second);
        assertThat(decoded).isEqualTo(expected);
        assertThat(items).isEqualTo(220);
        assertThat(scopes).containsOnly("first", "second");
    }

    @Test
    void refusesALimitTooSmallForAnySpan() {
        assertThatThrownBy(() -> new TraceRecordEncoder(100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRecordBytes must be >= 1024 but was 100");
    }

    static Resource named(String service) {
        return Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))).build();
    }

    static ResourceSpans resource(Resource resource, ScopeSpans... scopes) {
        return ResourceSpans.newBuilder().setResource(resource).setSchemaUrl("https://opentelemetry.io/schemas/1.26.0")
                .addAllScopeSpans(List.of(scopes)).build();
    }

    static ScopeSpans scope(String name, List<Span> spans) {
        return ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(name)).addAllSpans(spans).build();
    }

    static List<Span> spans(String prefix, int count, int padding) {
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            spans.add(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(new byte[16]))
                    .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, (byte) (i >> 8), (byte) i}))
                    .setName(prefix + i)
                    .setStartTimeUnixNano(1_000_000_000L * i)
                    .setEndTimeUnixNano(1_000_000_000L * i + 5_000_000L)
                    .addAttributes(KeyValue.newBuilder().setKey("padding")
                            .setValue(AnyValue.newBuilder().setStringValue("p".repeat(padding))))
                    .build());
        }
        return spans;
    }
}
