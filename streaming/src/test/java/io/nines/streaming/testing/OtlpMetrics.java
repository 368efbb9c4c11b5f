package io.nines.streaming.testing;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Instant;
import java.util.List;

/** OTLP metric requests as an OTel SDK exports them (and the collector's kafka exporter writes them). */
public final class OtlpMetrics {

    private OtlpMetrics() {
    }

    /** {@code http.server.request.duration}: explicit buckets in seconds, one point for GET /cart with a status. */
    public static Metric explicitSeconds(AggregationTemporality temporality, Instant start, Instant time,
                                         List<Double> bounds, List<Long> counts, double sumSeconds, int status) {
        HistogramDataPoint.Builder point = HistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(nanos(start)).setTimeUnixNano(nanos(time))
                .setCount(counts.stream().mapToLong(Long::longValue).sum()).setSum(sumSeconds)
                .addAllExplicitBounds(bounds).addAllBucketCounts(counts)
                .addAttributes(text("http.request.method", "GET"))
                .addAttributes(text("http.route", "/cart"))
                .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
                        .setValue(AnyValue.newBuilder().setIntValue(status)));
        return Metric.newBuilder().setName("http.server.request.duration").setUnit("s")
                .setHistogram(Histogram.newBuilder().setAggregationTemporality(temporality).addDataPoints(point))
                .build();
    }

    /** {@code http.server.duration}: an exponential histogram in milliseconds for POST /pay. */
    public static Metric exponentialMillis(AggregationTemporality temporality, Instant start, Instant time,
                                           int scale, int offset, List<Long> counts, long zeroCount,
                                           double sumMillis) {
        ExponentialHistogramDataPoint.Builder point = ExponentialHistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(nanos(start)).setTimeUnixNano(nanos(time))
                .setCount(counts.stream().mapToLong(Long::longValue).sum() + zeroCount).setSum(sumMillis)
                .setScale(scale).setZeroCount(zeroCount)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(offset)
                        .addAllBucketCounts(counts))
                .addAttributes(text("http.request.method", "POST"))
                .addAttributes(text("http.route", "/pay"));
        return Metric.newBuilder().setName("http.server.duration").setUnit("ms")
                .setExponentialHistogram(ExponentialHistogram.newBuilder().setAggregationTemporality(temporality)
                        .addDataPoints(point))
                .build();
    }

    /** One record: the metrics of one service instance. */
    public static byte[] record(String service, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(text("service.name", service))
                                .addAttributes(text("service.instance.id", service + "-1")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
                .build()
                .toByteArray();
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
