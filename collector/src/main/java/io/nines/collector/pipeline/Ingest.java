package io.nines.collector.pipeline;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What every receiver (OTLP/HTTP, OTLP/gRPC) does with a decoded request of one signal: leave out invalid
 * items, cut the rest into keyed records, hand them to the sink.
 *
 * @param <R> the signal's export request
 */
public final class Ingest<R extends Message> {

    private final Signal signal;
    private final Rules<R> rules;
    private final Layout<R, ?> layout;
    private final ResourceEncoder<R, ?> encoder;
    private final RecordSink sink;

    private <RS extends Message> Ingest(Signal signal, Rules<R> rules, Layout<R, RS> layout, int maxRecordBytes,
            RecordSink sink) {
        this.signal = signal;
        this.rules = rules;
        this.layout = layout;
        this.encoder = new ResourceEncoder<>(layout, maxRecordBytes);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Spans to {@code sink}; {@code clock} and {@code maxFutureSkew} decide which end times are believable. */
    public static Ingest<ExportTraceServiceRequest> traces(InstantSource clock, Duration maxFutureSkew,
            int maxRecordBytes, RecordSink sink) {
        return new Ingest<>(Signal.TRACES, new SpanRules(new Horizon(clock, maxFutureSkew)), Layouts.TRACES,
                maxRecordBytes, sink);
    }

    public static Ingest<ExportMetricsServiceRequest> metrics(InstantSource clock, Duration maxFutureSkew,
            int maxRecordBytes, RecordSink sink) {
        return new Ingest<>(Signal.METRICS, new MetricRules(new Horizon(clock, maxFutureSkew)), Layouts.METRICS,
                maxRecordBytes, sink);
    }

    public static Ingest<ExportLogsServiceRequest> logs(InstantSource clock, Duration maxFutureSkew,
            int maxRecordBytes, RecordSink sink) {
        return new Ingest<>(Signal.LOGS, new LogRules(new Horizon(clock, maxFutureSkew)), Layouts.LOGS,
                maxRecordBytes, sink);
    }

    public Signal signal() {
        return signal;
    }

    /** Items (spans, data points, log records) in a request, as OTLP counts them. */
    public int items(R request) {
        return count(layout, request);
    }

    /**
     * Completes once the sink holds every valid item; only then may the receiver acknowledge. Fails with a
     * {@link DeliveryException}.
     *
     * @param headers added to every record
     */
    public CompletableFuture<IngestResult> export(R request, Map<String, String> headers) {
        Checked<R> checked = rules.check(request);
        return send(checked, encoder.encode(checked.valid()), headers);
    }

    /** Like {@link #export(Message, Map)}, for a request parsed from {@code wire}, whose bytes records reuse. */
    public CompletableFuture<IngestResult> export(R request, byte[] wire, Map<String, String> headers) {
        Checked<R> checked = rules.check(request);
        List<OutboundRecord> records = checked.unchanged()
                ? encoder.encode(request, wire)
                : encoder.encode(checked.valid());
        return send(checked, records, headers);
    }

    private CompletableFuture<IngestResult> send(Checked<R> checked, List<OutboundRecord> records,
            Map<String, String> headers) {
        int accepted = 0;
        for (OutboundRecord record : records) {
            accepted += record.items();
        }
        IngestResult result = new IngestResult(signal, accepted, checked.rejections());
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(result);
        }
        return sink.send(records, headers).thenApply(ignored -> result);
    }

    private static <R extends Message, RS extends Message> int count(Layout<R, RS> layout, R request) {
        int count = 0;
        for (RS resource : layout.resources(request)) {
            count += layout.items(resource);
        }
        return count;
    }
}
