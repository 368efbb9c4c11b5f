package io.nines.collector.pipeline;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A span is kept when it has a 16-byte trace id and an 8-byte span id (neither all zeros), a parent span id
 * that is empty or 8 bytes, both timestamps, does not end before it starts, and does not end after the
 * {@link Horizon}.
 */
final class SpanRules implements Rules<ExportTraceServiceRequest> {

    private final Horizon horizon;

    SpanRules(Horizon horizon) {
        this.horizon = horizon;
    }

    @Override
    public Checked<ExportTraceServiceRequest> check(ExportTraceServiceRequest request) {
        long latest = horizon.latestNanos();
        Tally tally = new Tally();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    Rejection reason = verdict(span, latest);
                    if (reason != null) {
                        tally.add(reason, 1);
                    }
                }
            }
        }
        if (tally.isEmpty()) {
            return new Checked<>(request, tally.counts());
        }
        return new Checked<>(withoutInvalid(request, latest), tally.counts());
    }

    private static ExportTraceServiceRequest withoutInvalid(ExportTraceServiceRequest request, long latest) {
        ExportTraceServiceRequest.Builder kept = request.toBuilder().clearResourceSpans();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            ResourceSpans.Builder keptResource = resource.toBuilder().clearScopeSpans();
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                ScopeSpans.Builder keptScope = scope.toBuilder().clearSpans();
                for (Span span : scope.getSpansList()) {
                    if (verdict(span, latest) == null) {
                        keptScope.addSpans(span);
                    }
                }
                keptResource.addScopeSpans(keptScope);
            }
            kept.addResourceSpans(keptResource);
        }
        return kept.build();
    }

    /** The reason to reject, or null for a usable span; null keeps the hot loop free of allocation. */
    static Rejection verdict(Span span, long latest) {
        return verdict(validId(span.getTraceId(), 16), validId(span.getSpanId(), 8),
                span.getParentSpanId().isEmpty() || span.getParentSpanId().size() == 8,
                span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), latest);
    }

    /** The rules on a span's facts, shared with {@link TraceScan}, which reads them without building the span. */
    static Rejection verdict(boolean validTraceId, boolean validSpanId, boolean validParent, long start, long end,
            long latest) {
        if (!validTraceId) {
            return Rejection.INVALID_TRACE_ID;
        }
        if (!validSpanId) {
            return Rejection.INVALID_SPAN_ID;
        }
        if (!validParent) {
            return Rejection.INVALID_PARENT_SPAN_ID;
        }
        if (start == 0 || end == 0) {
            return Rejection.MISSING_TIMESTAMP;
        }
        if (Long.compareUnsigned(end, start) < 0) {
            return Rejection.ENDS_BEFORE_START;
        }
        if (Horizon.after(end, latest)) {
            return Rejection.TOO_FAR_IN_FUTURE;
        }
        return null;
    }

    static boolean validId(ByteString id, int length) {
        if (id.size() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (id.byteAt(i) != 0) {
                return true;
            }
        }
        return false;
    }
}
