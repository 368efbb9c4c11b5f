package io.nines.streaming.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns each OTLP {@code ExportTraceServiceRequest} record into one {@link SpanEvent} per entry span.
 *
 * <p>Only SERVER and CONSUMER spans count: they are where a request enters a service, so counting the
 * CLIENT, PRODUCER or INTERNAL spans of the same request would count it twice. A record that does not parse,
 * and a span that ends before it starts, go to {@link #REJECTED} and are counted; neither fails the job.
 */
public final class SpanDecoder extends ProcessFunction<OtlpRecord, SpanEvent> {

    /** Records and spans that could not be used. */
    public static final OutputTag<RejectedRecord> REJECTED = new OutputTag<>("rejected-spans") {};

    static final String UNKNOWN_SERVICE = "unknown_service";

    private transient Counter entrySpans;
    private transient Counter ignoredSpans;
    private transient Counter invalidSpans;
    private transient Counter undecodableRecords;

    @Override
    public void open(OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        entrySpans = metrics.counter("entrySpans");
        ignoredSpans = metrics.counter("ignoredSpans");
        invalidSpans = metrics.counter("invalidSpans");
        undecodableRecords = metrics.counter("undecodableRecords");
    }

    @Override
    public void processElement(OtlpRecord record, Context ctx, Collector<SpanEvent> out) {
        ExportTraceServiceRequest request;
        try {
            if (record.value() == null) {
                throw new InvalidProtocolBufferException("record has no value");
            }
            request = ExportTraceServiceRequest.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            undecodableRecords.inc();
            ctx.output(REJECTED, RejectedRecord.of(record, "not an OTLP ExportTraceServiceRequest: " + e.getMessage()));
            return;
        }
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            String service = serviceName(resourceSpans.getResource());
            Map<String, String> resource = SpanAttributes.ofResource(resourceSpans.getResource().getAttributesList());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    decode(record, service, resource, span, ctx, out);
                }
            }
        }
    }

    private void decode(OtlpRecord record, String service, Map<String, String> resource, Span span, Context ctx,
                        Collector<SpanEvent> out) {
        if (!isEntrySpan(span.getKind())) {
            ignoredSpans.inc();
            return;
        }
        long start = span.getStartTimeUnixNano();
        long end = span.getEndTimeUnixNano();
        if (end == 0 || end < start) {
            invalidSpans.inc();
            ctx.output(REJECTED, RejectedRecord.of(record, "span '" + span.getName() + "' of service '" + service
                    + "' ends before it starts (start " + start + " ns, end " + end + " ns)"));
            return;
        }
        entrySpans.inc();
        long endMillis = Math.floorDiv(end, 1_000_000L);
        // The Kafka source stamps each record with its Kafka timestamp; a record without one arrived "at its end".
        Long arrival = ctx.timestamp();
        out.collect(new SpanEvent(service, span.getName(), endMillis, end - start, isError(span),
                arrival == null || arrival < 0 ? endMillis : arrival,
                SpanAttributes.of(span.getAttributesList(), resource)));
    }

    static boolean isEntrySpan(Span.SpanKind kind) {
        return kind == Span.SpanKind.SPAN_KIND_SERVER || kind == Span.SpanKind.SPAN_KIND_CONSUMER;
    }

    static String serviceName(Resource resource) {
        for (KeyValue attribute : resource.getAttributesList()) {
            if ("service.name".equals(attribute.getKey())) {
                String name = attribute.getValue().getStringValue();
                return name.isEmpty() ? UNKNOWN_SERVICE : name;
            }
        }
        return UNKNOWN_SERVICE;
    }

    /**
     * A failed span by the OTel semantic conventions: status ERROR, or an HTTP 5xx (a 4xx is the caller's
     * fault, not the service's), or a gRPC code that signals a server-side failure.
     */
    static boolean isError(Span span) {
        if (span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR) {
            return true;
        }
        List<KeyValue> attributes = span.getAttributesList();
        for (KeyValue attribute : attributes) {
            switch (attribute.getKey()) {
                case "http.response.status_code", "http.status_code" -> {
                    if (integer(attribute.getValue()) >= 500) {
                        return true;
                    }
                }
                case "rpc.grpc.status_code" -> {
                    if (isServerSideGrpcCode(integer(attribute.getValue()))) {
                        return true;
                    }
                }
                default -> { }
            }
        }
        return false;
    }

    // UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS
    private static boolean isServerSideGrpcCode(long code) {
        return code == 2 || code == 4 || code == 12 || code == 13 || code == 14 || code == 15;
    }

    /** Some SDKs send numeric attributes as strings; anything else reads as -1, which matches no rule. */
    private static long integer(AnyValue value) {
        return switch (value.getValueCase()) {
            case INT_VALUE -> value.getIntValue();
            case DOUBLE_VALUE -> (long) value.getDoubleValue();
            case STRING_VALUE -> parseOrMinusOne(value.getStringValue());
            default -> -1;
        };
    }

    private static long parseOrMinusOne(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
