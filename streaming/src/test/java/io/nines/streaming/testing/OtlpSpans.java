package io.nines.streaming.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Instant;
import java.util.List;

/** OTLP requests as the collector writes them to Kafka: one ResourceSpans per record. */
public final class OtlpSpans {

    private OtlpSpans() {
    }

    /** A span of {@code kind} ending at {@code end} after {@code durationMicros}. */
    public static Span.Builder span(String name, Span.SpanKind kind, Instant end, long durationMicros) {
        long endNanos = end.getEpochSecond() * 1_000_000_000L + end.getNano();
        return Span.newBuilder()
                .setName(name)
                .setKind(kind)
                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
                .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[8]))
                .setStartTimeUnixNano(endNanos - durationMicros * 1_000L)
                .setEndTimeUnixNano(endNanos);
    }

    public static Span.Builder server(String name, Instant end, long durationMicros) {
        return span(name, Span.SpanKind.SPAN_KIND_SERVER, end, durationMicros);
    }

    public static Span.Builder failed(Span.Builder span) {
        return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }

    public static KeyValue attribute(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    public static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    /** One record: the spans of one service (or of no named service when {@code service} is null). */
    public static byte[] record(String service, List<Span.Builder> spans) {
        Resource.Builder resource = Resource.newBuilder();
        if (service != null) {
            resource.addAttributes(attribute("service.name", service));
        }
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        spans.forEach(scope::addSpans);
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope))
                .build()
                .toByteArray();
    }
}
