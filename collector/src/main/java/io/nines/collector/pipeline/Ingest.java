package io.nines.collector.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What every receiver (OTLP/HTTP, OTLP/gRPC) does with a decoded request of one signal: leave out invalid
 * items, cut the rest into keyed records, hand them to the sink.
 *
 * @param <R> the signal's export request
 */
public final class Ingest<R extends Message> {

    private final Signal signal;
    private final Parser<R> parser;
    private final Rules<R> rules;
    private final Optional<Horizon> scanHorizon;
    private final Layout<R, ?> layout;
    private final ResourceEncoder<R, ?> encoder;
    private final RecordSink sink;

    /** @param scanHorizon present for traces, whose protobuf requests are scanned instead of parsed */
    private <RS extends Message> Ingest(Signal signal, Parser<R> parser, Rules<R> rules, Optional<Horizon> scanHorizon,
            Layout<R, RS> layout, int maxRecordBytes, RecordSink sink) {
        this.signal = signal;
        this.parser = parser;
        this.rules = rules;
        this.scanHorizon = scanHorizon;
        this.layout = layout;
        this.encoder = new ResourceEncoder<>(layout, maxRecordBytes);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Spans to {@code sink}; {@code clock} and {@code maxFutureSkew} decide which end times are believable. */
    public static Ingest<ExportTraceServiceRequest> traces(InstantSource clock, Duration maxFutureSkew,
            int maxRecordBytes, RecordSink sink) {
        Horizon horizon = new Horizon(clock, maxFutureSkew);
        return new Ingest<>(Signal.TRACES, ExportTraceServiceRequest.parser(), new SpanRules(horizon),
                Optional.of(horizon), Layouts.TRACES, maxRecordBytes, sink);
    }

    public static Ingest<ExportMetricsServiceRequest> metrics(InstantSource clock, Duration maxFutureSkew,
            int maxRecordBytes, RecordSink sink) {
        return new Ingest<>(Signal.METRICS, ExportMetricsServiceRequest.parser(),
                new MetricRules(new Horizon(clock, maxFutureSkew)), Optional.empty(), Layouts.METRICS, maxRecordBytes,
                sink);
    }

    public static Ingest<ExportLogsServiceRequest> logs(InstantSource clock, Duration maxFutureSkew,
            int maxRecordBytes, RecordSink sink) {
        return new Ingest<>(Signal.LOGS, ExportLogsServiceRequest.parser(),
                new LogRules(new Horizon(clock, maxFutureSkew)), Optional.empty(), Layouts.LOGS, maxRecordBytes, sink);
    }

    /**
     * Decodes a protobuf request. Traces are scanned rather than parsed when every span is valid and every
     * resource fits a record, which is the usual case; otherwise, and for metrics and logs, they are parsed.
     *
     * @throws InvalidProtocolBufferException when the bytes are not a valid request of this signal
     */
    public Decoded<R> decode(byte[] wire) throws InvalidProtocolBufferException {
        if (scanHorizon.isPresent()) {
            TraceScan.Result scan = TraceScan.scan(wire, scanHorizon.get().latestNanos());
            boolean fits = scan.slices().stream().allMatch(s -> s.end() - s.start() <= encoder.maxRecordBytes());
            if (scan.invalid() == 0 && fits) {
                return new Decoded<>(null, wire, scan, scan.spans());
            }
        }
        R request = parser.parseFrom(wire);
        return new Decoded<>(request, wire, null, items(request));
    }

    /** A request decoded elsewhere (from JSON). */
    public Decoded<R> decoded(R request) {
        return new Decoded<>(request, null, null, items(request));
    }

    /** Like {@link #export(Message, Map)} for a decoded request. */
    public CompletableFuture<IngestResult> export(Decoded<R> decoded, Map<String, String> headers) {
        if (decoded.scan != null) {
            return send(Map.of(), ResourceEncoder.encode(decoded.wire, decoded.scan.slices()), headers);
        }
        return decoded.wire != null
                ? export(decoded.request, decoded.wire, headers)
                : export(decoded.request, headers);
    }

    /** A request, parsed or only scanned, with its item count; the bytes it came in are the records' from now on. */
    public static final class Decoded<R> {
        private final R request;
        private final byte[] wire;
        private final TraceScan.Result scan;
        private final int items;

        private Decoded(R request, byte[] wire, TraceScan.Result scan, int items) {
            this.request = request;
            this.wire = wire;
            this.scan = scan;
            this.items = items;
        }

        /** Items (spans, data points, log records) in the request, as OTLP counts them. */
        public int items() {
            return items;
        }
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
        return send(checked.rejections(), encoder.encode(checked.valid()), headers);
    }

    /** Like {@link #export(Message, Map)}, for a request parsed from {@code wire}, whose bytes records reuse. */
    public CompletableFuture<IngestResult> export(R request, byte[] wire, Map<String, String> headers) {
        Checked<R> checked = rules.check(request);
        List<OutboundRecord> records = checked.unchanged()
                ? encoder.encode(request, wire)
                : encoder.encode(checked.valid());
        return send(checked.rejections(), records, headers);
    }

    private CompletableFuture<IngestResult> send(Map<Rejection, Integer> rejections, List<OutboundRecord> records,
            Map<String, String> headers) {
        int accepted = 0;
        for (OutboundRecord record : records) {
            accepted += record.items();
        }
        IngestResult result = new IngestResult(signal, accepted, rejections);
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
