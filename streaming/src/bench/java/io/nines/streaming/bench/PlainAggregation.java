package io.nines.streaming.bench;

import io.nines.core.latency.LatencyHistogram;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's work as one plain Java loop on one thread: decode each record, and per service, operation and
 * minute count spans and errors and record the latency in a {@link LatencyHistogram}. What the job costs
 * beyond this (Kafka, serialization between operators, state, checkpoints, ClickHouse) is its overhead.
 */
final class PlainAggregation {

    private record Key(String service, String operation, long minute) {
    }

    private static final class Minute {
        final LatencyHistogram histogram = new LatencyHistogram();
        long errors;
    }

    private PlainAggregation() {
    }

    /** Aggregates every record and returns the number of spans counted. */
    static long run(List<byte[]> records) throws Exception {
        Map<Key, Minute> minutes = new HashMap<>();
        long spans = 0;
        for (byte[] bytes : records) {
            for (ResourceSpans resourceSpans : ExportTraceServiceRequest.parseFrom(bytes).getResourceSpansList()) {
                String service = "unknown_service";
                for (KeyValue attribute : resourceSpans.getResource().getAttributesList()) {
                    if (attribute.getKey().equals("service.name")) {
                        service = attribute.getValue().getStringValue();
                    }
                }
                for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
                    for (Span span : scope.getSpansList()) {
                        if (span.getKind() != Span.SpanKind.SPAN_KIND_SERVER
                                && span.getKind() != Span.SpanKind.SPAN_KIND_CONSUMER) {
                            continue;
                        }
                        long end = span.getEndTimeUnixNano();
                        Minute minute = minutes.computeIfAbsent(
                                new Key(service, span.getName(), Math.floorDiv(end, 60_000_000_000L)),
                                key -> new Minute());
                        minute.histogram.record((end - span.getStartTimeUnixNano()) / 1e6);
                        if (isError(span)) {
                            minute.errors++;
                        }
                        spans++;
                    }
                }
            }
        }
        return spans;
    }

    // The job's rule, minus its gRPC codes and string-typed numbers: status ERROR or an HTTP 5xx.
    private static boolean isError(Span span) {
        if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            return true;
        }
        for (KeyValue attribute : span.getAttributesList()) {
            String key = attribute.getKey();
            if ((key.equals("http.response.status_code") || key.equals("http.status_code"))
                    && attribute.getValue().getIntValue() >= 500) {
                return true;
            }
        }
        return false;
    }
}
