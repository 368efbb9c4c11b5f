package io.nines.collector.pipeline;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** What every trace receiver (OTLP/HTTP now, OTLP/gRPC later) does with a decoded request. */
public final class TraceIngest {

    private final TraceRecordEncoder encoder;
    private final RecordSink sink;

    public TraceIngest(TraceRecordEncoder encoder, RecordSink sink) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Completes when the sink holds all of the request's spans; only then may the receiver acknowledge.
     * Fails with a {@link DeliveryException}.
     */
    public CompletableFuture<Void> export(ExportTraceServiceRequest request) {
        List<OutboundRecord> records = encoder.encode(request);
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return sink.send(records);
    }
}
