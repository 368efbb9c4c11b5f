package io.nines.collector;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Requests of spans with distinct span ids, so that what lands in Kafka can be counted span by span. */
final class Spans {

    static final long START = Instant.parse("2026-11-29T12:00:00Z").getEpochSecond() * 1_000_000_000L;

    private Spans() {}

    /** {@code count} SERVER spans of {@code service} whose span ids are {@code firstId}, {@code firstId + 1}, ... */
    static ExportTraceServiceRequest request(String service, long firstId, int count) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.nines.test").setVersion("1.0"));
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            scope.addSpans(Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0, 42).putLong(8, id).array()))
                    .setSpanId(spanId(id))
                    .setName("GET /items/{id}")
                    .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                    .setStartTimeUnixNano(START + id)
                    .setEndTimeUnixNano(START + id + 5_000_000L)
                    .addAttributes(attribute("http.route", "/items/{id}"))
                    .addAttributes(attribute("http.request.method", "GET")));
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
                .addScopeSpans(scope)).build();
    }

    static ByteString spanId(long id) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(0, id).array());
    }

    static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    /** Span ids (as longs) in the records, each as often as it occurs. */
    static List<Long> spanIds(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().flatMap(record -> {
            try {
                return ExportTraceServiceRequest.parseFrom(record.value()).getResourceSpansList().stream();
            } catch (Exception e) {
                throw new AssertionError("undecodable record at offset " + record.offset(), e);
            }
        }).flatMap(resource -> resource.getScopeSpansList().stream())
                .flatMap(scope -> scope.getSpansList().stream())
                .map(span -> span.getSpanId().asReadOnlyByteBuffer().getLong())
                .toList();
    }

    static int count(List<ConsumerRecord<String, byte[]>> records) {
        return spanIds(records).size();
    }

    static Set<Long> range(long first, int count) {
        Set<Long> ids = new HashSet<>();
        for (long id = first; id < first + count; id++) {
            ids.add(id);
        }
        return ids;
    }
}
