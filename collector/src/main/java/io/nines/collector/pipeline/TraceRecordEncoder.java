package io.nines.collector.pipeline;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes traces the way the OpenTelemetry Collector's Kafka exporter does with {@code otlp_proto}: each
 * record value is a serialized {@link ExportTraceServiceRequest}. A request is split into one record per
 * {@link ResourceSpans}, keyed by the resource's {@code service.name}, so that consumers see one service's
 * spans in order. A resource whose spans would exceed {@code maxRecordBytes} is cut into several records
 * of the same resource, because Kafka refuses oversized records for good and the client would retry forever.
 */
public final class TraceRecordEncoder {

    static final String SERVICE_NAME = "service.name";
    static final String UNKNOWN_SERVICE = "unknown_service";

    /** Bytes for the resource's own tag and length prefix in the request, and the resource prefix's growth. */
    private static final int NESTING_HEADROOM = 18;
    private static final int SPANS_FIELD = ScopeSpans.SPANS_FIELD_NUMBER;
    private static final int SCOPE_SPANS_FIELD = ResourceSpans.SCOPE_SPANS_FIELD_NUMBER;

    private final int maxRecordBytes;

    public TraceRecordEncoder(int maxRecordBytes) {
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be >= 1024 but was " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Spans in a request, for counting what was accepted or refused. */
    public static int spanCount(ExportTraceServiceRequest request) {
        int count = 0;
        for (ResourceSpans resource : request.getResourceSpansList()) {
            count += spanCount(resource);
        }
        return count;
    }

    /** Records for the request; resources without spans carry nothing worth keeping and are left out. */
    public List<OutboundRecord> encode(ExportTraceServiceRequest request) {
        List<OutboundRecord> records = new ArrayList<>(request.getResourceSpansCount());
        for (ResourceSpans resource : request.getResourceSpansList()) {
            int spans = spanCount(resource);
            if (spans == 0) {
                continue;
            }
            String key = serviceName(resource);
            ExportTraceServiceRequest single = wrap(resource);
            if (single.getSerializedSize() <= maxRecordBytes) {
                records.add(new OutboundRecord(key, single.toByteArray(), spans));
            } else {
                chunk(resource, key, records);
            }
        }
        return records;
    }

    static String serviceName(ResourceSpans resource) {
        for (KeyValue attribute : resource.getResource().getAttributesList()) {
            if (SERVICE_NAME.equals(attribute.getKey())
                    && attribute.getValue().getValueCase() == AnyValue.ValueCase.STRING_VALUE
                    && !attribute.getValue().getStringValue().isEmpty()) {
                return attribute.getValue().getStringValue();
            }
        }
        return UNKNOWN_SERVICE;
    }

    private void chunk(ResourceSpans resource, String key, List<OutboundRecord> out) {
        ResourceSpans header = resource.toBuilder().clearScopeSpans().build();
        int headerBytes = header.getSerializedSize() + NESTING_HEADROOM;
        ResourceSpans.Builder chunk = header.toBuilder();
        int chunkBytes = headerBytes;
        int chunkSpans = 0;
        for (ScopeSpans scope : resource.getScopeSpansList()) {
            ScopeSpans scopeHeader = scope.toBuilder().clearSpans().build();
            // its length prefix grows by up to 4 bytes once the spans are in
            int scopeBytes = CodedOutputStream.computeMessageSize(SCOPE_SPANS_FIELD, scopeHeader) + 4;
            ScopeSpans.Builder scopeChunk = scopeHeader.toBuilder();
            chunkBytes += scopeBytes;
            for (Span span : scope.getSpansList()) {
                int spanBytes = CodedOutputStream.computeMessageSize(SPANS_FIELD, span);
                if (chunkSpans > 0 && chunkBytes + spanBytes > maxRecordBytes) {
                    if (scopeChunk.getSpansCount() > 0) {
                        chunk.addScopeSpans(scopeChunk.build());
                    }
                    out.add(new OutboundRecord(key, wrap(chunk.build()).toByteArray(), chunkSpans));
                    chunk = header.toBuilder();
                    scopeChunk = scopeHeader.toBuilder();
                    chunkBytes = headerBytes + scopeBytes;
                    chunkSpans = 0;
                }
                scopeChunk.addSpans(span);
                chunkBytes += spanBytes;
                chunkSpans++;
            }
            if (scopeChunk.getSpansCount() > 0) {
                chunk.addScopeSpans(scopeChunk.build());
            }
        }
        if (chunkSpans > 0) {
            out.add(new OutboundRecord(key, wrap(chunk.build()).toByteArray(), chunkSpans));
        }
    }

    private static int spanCount(ResourceSpans resource) {
        int count = 0;
        for (ScopeSpans scope : resource.getScopeSpansList()) {
            count += scope.getSpansCount();
        }
        return count;
    }

    private static ExportTraceServiceRequest wrap(ResourceSpans resource) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(resource).build();
    }
}
