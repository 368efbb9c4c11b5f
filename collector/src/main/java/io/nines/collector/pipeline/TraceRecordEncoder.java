package io.nines.collector.pipeline;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;

/**
 * Encodes traces for {@code otlp_spans}: one record per {@link ResourceSpans}, keyed by {@code service.name},
 * cut into several when larger than {@code maxRecordBytes} (see {@link ResourceEncoder}).
 */
public final class TraceRecordEncoder {

    static final String SERVICE_NAME = ResourceEncoder.SERVICE_NAME;
    static final String UNKNOWN_SERVICE = ResourceEncoder.UNKNOWN_SERVICE;

    private final ResourceEncoder<ExportTraceServiceRequest, ResourceSpans> encoder;

    public TraceRecordEncoder(int maxRecordBytes) {
        this.encoder = new ResourceEncoder<>(Layouts.TRACES, maxRecordBytes);
    }

    /** Spans in a request, for counting what was accepted or refused. */
    public static int spanCount(ExportTraceServiceRequest request) {
        int count = 0;
        for (ResourceSpans resource : request.getResourceSpansList()) {
            count += Layouts.TRACES.items(resource);
        }
        return count;
    }

    /** Records for the request; resources without spans carry nothing worth keeping and are left out. */
    public List<OutboundRecord> encode(ExportTraceServiceRequest request) {
        return encoder.encode(request);
    }

    /** Like {@link #encode(ExportTraceServiceRequest)}, reusing the bytes the request was parsed from. */
    public List<OutboundRecord> encode(ExportTraceServiceRequest request, byte[] wire) {
        return encoder.encode(request, wire);
    }

    static String serviceName(ResourceSpans resource) {
        return ResourceEncoder.serviceName(resource.getResource());
    }
}
