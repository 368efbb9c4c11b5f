package io.nines.collector.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Distinct copies of one serialized request, cheap enough to make one per request sent: every span's trace id
 * starts with the request's sequence number, so that a reader of the topic can tell which request each span came
 * from and count every request's spans, duplicates included. A copy is the template's bytes with 8 bytes
 * overwritten per span, not a fresh serialization.
 */
final class StampedRequests {

    /** The first 8 bytes of every template trace id; the rest stays random, so ids stay distinct within a request. */
    private static final byte MARK = (byte) 0xA5;

    private final byte[] template;
    private final int[] stampOffsets;

    private StampedRequests(byte[] template, int[] stampOffsets) {
        this.template = template;
        this.stampOffsets = stampOffsets;
    }

    static StampedRequests of(ExportTraceServiceRequest request) {
        ExportTraceServiceRequest.Builder marked = request.toBuilder();
        for (ResourceSpans.Builder resource : marked.getResourceSpansBuilderList()) {
            for (ScopeSpans.Builder scope : resource.getScopeSpansBuilderList()) {
                for (Span.Builder span : scope.getSpansBuilderList()) {
                    byte[] traceId = span.getTraceId().toByteArray();
                    Arrays.fill(traceId, 0, 8, MARK);
                    span.setTraceId(ByteString.copyFrom(traceId));
                }
            }
        }
        byte[] wire = marked.build().toByteArray();
        // a trace id field: tag 0x0A, length 16, then the mark
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i + 10 <= wire.length; i++) {
            if (wire[i] == 0x0A && wire[i + 1] == 16 && marked(wire, i + 2)) {
                offsets.add(i + 2);
                i += 17;
            }
        }
        int spans = marked.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
                .mapToInt(ScopeSpans::getSpansCount).sum();
        if (offsets.size() != spans) {
            throw new IllegalStateException("found " + offsets.size() + " trace ids for " + spans + " spans");
        }
        return new StampedRequests(wire, offsets.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The request numbered {@code sequence} (positive), its spans' trace ids starting with it. */
    byte[] stamped(long sequence) {
        byte[] copy = template.clone();
        ByteBuffer buffer = ByteBuffer.wrap(copy);
        for (int offset : stampOffsets) {
            buffer.putLong(offset, sequence);
        }
        return copy;
    }

    /** The sequence number of the request a span came from. */
    static long sequenceOf(ByteString traceId) {
        return traceId.asReadOnlyByteBuffer().getLong(0);
    }

    private static boolean marked(byte[] wire, int offset) {
        for (int i = offset; i < offset + 8; i++) {
            if (wire[i] != MARK) {
                return false;
            }
        }
        return true;
    }
}
