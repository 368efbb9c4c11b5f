package io.nines.collector.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IngestTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final long NOW_NANOS = NOW.getEpochSecond() * 1_000_000_000L;
    private static final long MINUTE = 60_000_000_000L;

    private final RecordingSink sink = new RecordingSink();
    private final InstantSource clock = InstantSource.fixed(NOW);

    @Test
    void writesTheValidSpansAndRejectsEachInvalidOneWithItsReason() throws Exception {
        ExportTraceServiceRequest request = traces(resourceSpans("checkout",
                span(1, 1, NOW_NANOS - MINUTE, NOW_NANOS),
                span(0, 2, NOW_NANOS - MINUTE, NOW_NANOS), // all-zero trace id
                span(3, 3, NOW_NANOS - MINUTE, NOW_NANOS).toBuilder().setSpanId(ByteString.copyFrom(new byte[4])).build(),
                span(4, 4, NOW_NANOS, NOW_NANOS - 1), // ends before it starts
                span(5, 5, NOW_NANOS, NOW_NANOS + 10 * MINUTE), // at the horizon: kept
                span(6, 6, NOW_NANOS, NOW_NANOS + 10 * MINUTE + 1), // past it
                span(7, 7, 0, NOW_NANOS)));

        IngestResult result = ingest().export(request, Map.of()).get();

        assertThat(result.accepted()).isEqualTo(2);
        assertThat(result.rejected()).isEqualTo(5);
        assertThat(result.rejections()).containsOnly(
                Map.entry(Rejection.INVALID_TRACE_ID, 1), Map.entry(Rejection.INVALID_SPAN_ID, 1),
                Map.entry(Rejection.ENDS_BEFORE_START, 1), Map.entry(Rejection.TOO_FAR_IN_FUTURE, 1),
                Map.entry(Rejection.MISSING_TIMESTAMP, 1));
        assertThat(result.message()).isEqualTo("rejected 5 of 7 spans: 1 without a valid 16-byte trace id, 1 without "
                + "a valid 8-byte span id, 1 without a timestamp, 1 ending before they start, 1 with timestamps too far "
                + "in the future");
        assertThat(sink.records).hasSize(1);
        ExportTraceServiceRequest written = ExportTraceServiceRequest.parseFrom(sink.records.get(0).value());
        assertThat(written.getResourceSpans(0).getScopeSpans(0).getSpansList())
                .extracting(span -> span.getSpanId().byteAt(7)).containsExactly((byte) 1, (byte) 5);
    }

    @Test
    void reusesTheWireBytesOfEachResourceWhenAllIsValid() throws Exception {
        ExportTraceServiceRequest request = traces(
                resourceSpans("checkout", span(1, 1, NOW_NANOS - MINUTE, NOW_NANOS)),
                resourceSpans("idle"),
                resourceSpans("payments", span(2, 2, NOW_NANOS - MINUTE, NOW_NANOS),
                        span(3, 3, NOW_NANOS - MINUTE, NOW_NANOS)));

        IngestResult result = ingest().export(request, request.toByteArray(), Map.of("nines-team", "payments")).get();

        assertThat(result.accepted()).isEqualTo(3);
        assertThat(result.message()).isEmpty();
        assertThat(sink.records).extracting(OutboundRecord::key).containsExactly("checkout", "payments");
        assertThat(sink.records.get(0).value()).isEqualTo(traces(request.getResourceSpans(0)).toByteArray());
        assertThat(sink.records.get(1).value()).isEqualTo(traces(request.getResourceSpans(2)).toByteArray());
        assertThat(sink.headers).containsExactly(Map.of("nines-team", "payments"));
    }

    @Test
    void rejectsDataPointsWithoutTimeOrFromTheFutureAndMetricsWithoutName() throws Exception {
        NumberDataPoint good = NumberDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setAsInt(1).build();
        NumberDataPoint future = good.toBuilder().setTimeUnixNano(NOW_NANOS + 11 * MINUTE).build();
        NumberDataPoint timeless = good.toBuilder().setTimeUnixNano(0).build();
        HistogramDataPoint histogram = HistogramDataPoint.newBuilder().setTimeUnixNano(NOW_NANOS).setCount(3).build();
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
                ResourceMetrics.newBuilder().setResource(named("checkout")).addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
                                .addDataPoints(good).addDataPoints(future).addDataPoints(timeless)))
                        .addMetrics(Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
                                .addDataPoints(histogram).addDataPoints(histogram)))
                        .addMetrics(Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(good)))))
                .build();

        IngestResult result = Ingest.metrics(clock, Duration.ofMinutes(10), 1_000_000, sink)
                .export(request, request.toByteArray(), Map.of()).get();

        assertThat(result.accepted()).isEqualTo(3);
        assertThat(result.message()).isEqualTo("rejected 3 of 6 data points: 1 without a timestamp, 1 with timestamps "
                + "too far in the future, 1 of metrics without a name");
        ScopeMetrics written = ExportMetricsServiceRequest.parseFrom(sink.records.get(0).value())
                .getResourceMetrics(0).getScopeMetrics(0);
        assertThat(written.getMetricsList()).extracting(Metric::getName).containsExactly("g", "h");
        assertThat(written.getMetrics(0).getGauge().getDataPointsList()).containsExactly(good);
        assertThat(written.getMetrics(1).getHistogram().getDataPointsCount()).isEqualTo(2);
        assertThat(sink.records.get(0).items()).isEqualTo(3);
    }

    @Test
    void keepsLogsOutsideTracesAndRejectsMalformedIds() throws Exception {
        LogRecord plain = LogRecord.newBuilder().setTimeUnixNano(NOW_NANOS)
                .setBody(AnyValue.newBuilder().setStringValue("hello")).build();
        LogRecord traced = plain.toBuilder().setTraceId(id(16, 1)).setSpanId(id(8, 1)).build();
        LogRecord shortTrace = plain.toBuilder().setTraceId(id(8, 1)).build();
        ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(named("checkout")).addScopeLogs(ScopeLogs.newBuilder()
                        .addLogRecords(plain).addLogRecords(traced).addLogRecords(shortTrace))).build();

        IngestResult result = Ingest.logs(clock, Duration.ofMinutes(10), 1_000_000, sink).export(request, Map.of()).get();

        assertThat(result.accepted()).isEqualTo(2);
        assertThat(result.message()).isEqualTo("rejected 1 of 3 log records: 1 without a valid 16-byte trace id");
        assertThat(ExportLogsServiceRequest.parseFrom(sink.records.get(0).value()).getResourceLogs(0).getScopeLogs(0)
                .getLogRecordsList()).containsExactly(plain, traced);
    }

    @Test
    void sendsNothingForARequestWithoutItems() throws Exception {
        IngestResult result = ingest().export(ExportTraceServiceRequest.getDefaultInstance(), new byte[0], Map.of()).get();

        assertThat(result.accepted()).isZero();
        assertThat(result.rejected()).isZero();
        assertThat(sink.records).isEmpty();
    }

    private Ingest<ExportTraceServiceRequest> ingest() {
        return Ingest.traces(clock, Duration.ofMinutes(10), 1_000_000, sink);
    }

    static ExportTraceServiceRequest traces(ResourceSpans... resources) {
        return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(resources)).build();
    }

    static ResourceSpans resourceSpans(String service, Span... spans) {
        return ResourceSpans.newBuilder().setResource(named(service))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))).build();
    }

    static Span span(int trace, int spanId, long start, long end) {
        return Span.newBuilder().setTraceId(id(16, trace)).setSpanId(id(8, spanId)).setName("GET /")
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end).build();
    }

    static ByteString id(int length, int last) {
        byte[] bytes = new byte[length];
        bytes[length - 1] = (byte) last;
        return ByteString.copyFrom(bytes);
    }

    static Resource named(String service) {
        return Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))).build();
    }

    /** The seam's contract, in memory: acknowledges at once. */
    private static final class RecordingSink implements RecordSink {
        final List<OutboundRecord> records = new ArrayList<>();
        final List<Map<String, String>> headers = new ArrayList<>();

        @Override
        public CompletableFuture<Void> send(List<OutboundRecord> batch, Map<String, String> batchHeaders) {
            records.addAll(batch);
            headers.add(batchHeaders);
            return CompletableFuture.completedFuture(null);
        }
    }
}
