package io.nines.collector.pipeline;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a serialized {@link ExportTraceServiceRequest} without building it: the span fields the rules need,
 * each resource's place in the bytes, its {@code service.name} and span count; the rest is only checked
 * ({@link WireCheck}). Building a thousand spans' attributes costs most of what a collector does, and their
 * values are never looked at here; a request that is valid as a whole goes to Kafka as the bytes it came in.
 * Equivalent to {@code parseFrom} on what it accepts and refuses, which a test checks on mutated input.
 */
final class TraceScan {

    private static final int RESOURCE_SPANS = tag(ExportTraceServiceRequest.RESOURCE_SPANS_FIELD_NUMBER);
    private static final int RESOURCE = tag(ResourceSpans.RESOURCE_FIELD_NUMBER);
    private static final int SCOPE_SPANS = tag(ResourceSpans.SCOPE_SPANS_FIELD_NUMBER);
    private static final int SPANS = tag(ScopeSpans.SPANS_FIELD_NUMBER);
    private static final int TRACE_ID = tag(Span.TRACE_ID_FIELD_NUMBER);
    private static final int SPAN_ID = tag(Span.SPAN_ID_FIELD_NUMBER);
    private static final int PARENT_SPAN_ID = tag(Span.PARENT_SPAN_ID_FIELD_NUMBER);
    private static final int START = Span.START_TIME_UNIX_NANO_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_FIXED64;
    private static final int END = Span.END_TIME_UNIX_NANO_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_FIXED64;

    /** One resource: {@code [start, end)} of its field in the request (tag included). */
    record Slice(int start, int end, String serviceName, int spans) {}

    /**
     * @param slices  the resources in order
     * @param invalid spans the rules reject; when above zero the caller parses and filters instead
     */
    record Result(List<Slice> slices, int spans, int invalid) {}

    /** Immutable tables of the OTLP trace schema, built once. */
    private static final WireCheck CHECK = WireCheck.of(ExportTraceServiceRequest.getDescriptor());
    private static final WireCheck.Fields REQUEST_FIELDS = CHECK.fieldsOf(ExportTraceServiceRequest.getDescriptor());
    private static final WireCheck.Fields RESOURCE_SPANS_FIELDS = CHECK.fieldsOf(ResourceSpans.getDescriptor());
    private static final WireCheck.Fields SCOPE_SPANS_FIELDS = CHECK.fieldsOf(ScopeSpans.getDescriptor());
    private static final WireCheck.Fields SPAN_FIELDS = CHECK.fieldsOf(Span.getDescriptor());

    private TraceScan() {}

    /** @throws InvalidProtocolBufferException exactly when {@code parseFrom(wire)} would */
    static Result scan(byte[] wire, long latest) throws InvalidProtocolBufferException {
        CodedInputStream in = CodedInputStream.newInstance(wire);
        List<Slice> slices = new ArrayList<>(1);
        int[] counts = new int[2];
        try {
            while (true) {
                int start = in.getTotalBytesRead();
                int tag = in.readTag();
                if (tag == 0) {
                    return new Result(slices, counts[0], counts[1]);
                }
                if (tag == RESOURCE_SPANS) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    int before = counts[0];
                    String service = resourceSpans(in, wire, latest, counts);
                    in.popLimit(limit);
                    slices.add(new Slice(start, in.getTotalBytesRead(), service, counts[0] - before));
                } else {
                    REQUEST_FIELDS.field(tag, in, wire, 1);
                }
            }
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    private static String resourceSpans(CodedInputStream in, byte[] wire, long latest, int[] counts)
            throws IOException {
        Resource.Builder resource = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == RESOURCE) {
                // a resource is a few attributes: building it is cheap, and repeated fields merge as in parseFrom
                int length = in.readRawVarint32();
                int offset = in.getTotalBytesRead();
                if (length < 0 || length > in.getBytesUntilLimit()) {
                    throw truncated();
                }
                resource = resource == null ? Resource.newBuilder() : resource;
                resource.mergeFrom(wire, offset, length);
                in.skipRawBytes(length);
            } else if (tag == SCOPE_SPANS) {
                int limit = in.pushLimit(in.readRawVarint32());
                scopeSpans(in, wire, latest, counts);
                in.popLimit(limit);
            } else {
                RESOURCE_SPANS_FIELDS.field(tag, in, wire, 2);
            }
        }
        return ResourceEncoder.serviceName(resource == null ? Resource.getDefaultInstance() : resource.build());
    }

    private static void scopeSpans(CodedInputStream in, byte[] wire, long latest, int[] counts) throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == SPANS) {
                int limit = in.pushLimit(in.readRawVarint32());
                if (!span(in, wire, latest)) {
                    counts[1]++;
                }
                counts[0]++;
                in.popLimit(limit);
            } else {
                SCOPE_SPANS_FIELDS.field(tag, in, wire, 3);
            }
        }
    }

    /** Whether the span passes {@link SpanRules}; ids are judged in place, so nothing is copied. */
    private static boolean span(CodedInputStream in, byte[] wire, long latest) throws IOException {
        int traceId = -1;
        int spanId = -1;
        int parentLength = 0;
        int traceIdLength = 0;
        int spanIdLength = 0;
        long start = 0;
        long end = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == TRACE_ID) {
                traceIdLength = bytesField(in);
                traceId = in.getTotalBytesRead();
                in.skipRawBytes(traceIdLength);
            } else if (tag == SPAN_ID) {
                spanIdLength = bytesField(in);
                spanId = in.getTotalBytesRead();
                in.skipRawBytes(spanIdLength);
            } else if (tag == PARENT_SPAN_ID) {
                parentLength = bytesField(in);
                in.skipRawBytes(parentLength);
            } else if (tag == START) {
                start = in.readFixed64();
            } else if (tag == END) {
                end = in.readFixed64();
            } else {
                SPAN_FIELDS.field(tag, in, wire, 4);
            }
        }
        return SpanRules.verdict(traceIdLength == 16 && nonZero(wire, traceId, 16),
                spanIdLength == 8 && nonZero(wire, spanId, 8), parentLength == 0 || parentLength == 8,
                start, end, latest) == null;
    }

    private static int bytesField(CodedInputStream in) throws IOException {
        int length = in.readRawVarint32();
        if (length < 0 || length > in.getBytesUntilLimit()) {
            throw truncated();
        }
        return length;
    }

    private static InvalidProtocolBufferException truncated() {
        return new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly in "
                + "the middle of a field.");
    }

    private static boolean nonZero(byte[] wire, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (wire[i] != 0) {
                return true;
            }
        }
        return false;
    }

    private static int tag(int field) {
        return field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
}
