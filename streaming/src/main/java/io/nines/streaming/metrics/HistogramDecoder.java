package io.nines.streaming.metrics;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nines.streaming.otlp.OtlpRecord;
import io.nines.streaming.otlp.RejectedRecord;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns each OTLP {@code ExportMetricsServiceRequest} record into one {@link HistogramPoint} per data point
 * of a server latency histogram: {@code http.server.request.duration} (seconds, current semantic
 * conventions) or {@code http.server.duration} (milliseconds, the older ones), explicit-bucket or
 * exponential. Other metrics are skipped; a record that does not parse, and a point that cannot be mapped,
 * go to {@link #REJECTED} and are counted.
 */
public final class HistogramDecoder extends ProcessFunction<OtlpRecord, HistogramPoint> {

    /** Records and points that could not be used. */
    public static final OutputTag<RejectedRecord> REJECTED = new OutputTag<>("rejected-metrics") {};

    /** Latency histograms read, with their unit in milliseconds. */
    static final Map<String, Double> LATENCY_METRICS = Map.of(
            "http.server.request.duration", 1000.0,
            "http.server.duration", 1.0);

    private transient Counter histogramPoints;
    private transient Counter invalidPoints;
    private transient Counter undecodableRecords;

    @Override
    public void open(OpenContext openContext) {
        var metrics = getRuntimeContext().getMetricGroup();
        histogramPoints = metrics.counter("histogramPoints");
        invalidPoints = metrics.counter("invalidHistogramPoints");
        undecodableRecords = metrics.counter("undecodableMetricRecords");
    }

    @Override
    public void processElement(OtlpRecord record, Context ctx, Collector<HistogramPoint> out) {
        ExportMetricsServiceRequest request;
        try {
            if (record.value() == null) {
                throw new InvalidProtocolBufferException("record has no value");
            }
            request = ExportMetricsServiceRequest.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            undecodableRecords.inc();
            ctx.output(REJECTED, reject(record, "not an OTLP ExportMetricsServiceRequest: " + e.getMessage()));
            return;
        }
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
            Map<String, String> resource = text(resourceMetrics.getResource().getAttributesList());
            String service = resource.getOrDefault("service.name", "");
            service = service.isEmpty() ? "unknown_service" : service;
            for (ScopeMetrics scope : resourceMetrics.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    Double millisPerUnit = LATENCY_METRICS.get(metric.getName());
                    if (millisPerUnit != null) {
                        decode(record, service, resource, metric, millisPerUnit, ctx, out);
                    }
                }
            }
        }
    }

    private void decode(OtlpRecord record, String service, Map<String, String> resource, Metric metric,
                        double millisPerUnit, Context ctx, Collector<HistogramPoint> out) {
        try {
            if (metric.hasHistogram()) {
                boolean cumulative = isCumulative(metric.getHistogram().getAggregationTemporality());
                for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
                    SortedMap<Integer, Long> buckets = HistogramBuckets.explicit(point.getExplicitBoundsList(),
                            point.getBucketCountsList(), millisPerUnit);
                    PointLimits.requireCount(point.getCount(), HistogramBuckets.total(buckets), 0);
                    out.collect(point(service, resource, metric.getName(), point.getAttributesList(),
                            point.getStartTimeUnixNano(), point.getTimeUnixNano(), cumulative, point.getCount(),
                            point.getSum() * millisPerUnit, buckets));
                    histogramPoints.inc();
                }
            } else if (metric.hasExponentialHistogram()) {
                boolean cumulative = isCumulative(metric.getExponentialHistogram().getAggregationTemporality());
                for (ExponentialHistogramDataPoint point : metric.getExponentialHistogram().getDataPointsList()) {
                    SortedMap<Integer, Long> buckets = HistogramBuckets.exponential(point.getScale(),
                            point.getPositive().getOffset(), point.getPositive().getBucketCountsList(),
                            point.getZeroCount(), millisPerUnit);
                    // negative latencies place nowhere, but the count includes them
                    long negative = HistogramBuckets.total(indexed(point.getNegative().getBucketCountsList()));
                    PointLimits.requireCount(point.getCount(), HistogramBuckets.total(buckets), negative);
                    out.collect(point(service, resource, metric.getName(), point.getAttributesList(),
                            point.getStartTimeUnixNano(), point.getTimeUnixNano(), cumulative, point.getCount(),
                            point.getSum() * millisPerUnit, buckets));
                    histogramPoints.inc();
                }
            }
        } catch (IllegalArgumentException e) {
            invalidPoints.inc();
            ctx.output(REJECTED, reject(record, "histogram '" + metric.getName() + "' of service "
                    + PointLimits.printable(service) + ": " + e.getMessage()));
        }
    }

    private static HistogramPoint point(String service, Map<String, String> resource, String metric,
                                        List<KeyValue> attributes, long start, long time, boolean cumulative,
                                        long count, double sumMillis, SortedMap<Integer, Long> buckets) {
        Map<String, String> labels = text(attributes);
        String method = labels.get("http.request.method");
        String route = labels.get("http.route");
        String operation = method == null ? (route == null ? metric : route)
                : (route == null ? method : method + " " + route);
        String status = labels.getOrDefault("http.response.status_code", labels.getOrDefault("http.status_code", ""));
        boolean error = status.length() == 3 && status.charAt(0) == '5';
        // A series is one resource instance's one metric with one set of attributes (sorted, so stable).
        String series = service + '\0' + resource.getOrDefault("service.instance.id", "") + '\0' + metric + '\0'
                + labels;
        PointLimits.requireName("service.name", service);
        PointLimits.requireName("operation", operation);
        PointLimits.requireSeries(series);
        PointLimits.requireSum(sumMillis);
        return new HistogramPoint(series, metric, service, operation, start, time, cumulative, error, count,
                sumMillis, buckets);
    }

    private static boolean isCumulative(AggregationTemporality temporality) {
        if (temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
            return true;
        }
        if (temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
            return false;
        }
        throw new IllegalArgumentException("aggregation temporality must be delta or cumulative, was " + temporality);
    }

    /** Bucket counts by position, for totals. */
    private static Map<Integer, Long> indexed(List<Long> counts) {
        Map<Integer, Long> indexed = new TreeMap<>();
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) < 0) {
                throw new IllegalArgumentException("bucket counts must be below 2^63, was "
                        + Long.toUnsignedString(counts.get(i)));
            }
            indexed.put(i, counts.get(i));
        }
        return indexed;
    }

    /** Scalar attributes as text, sorted by key. */
    private static SortedMap<String, String> text(List<KeyValue> attributes) {
        SortedMap<String, String> text = new TreeMap<>();
        for (KeyValue attribute : attributes) {
            AnyValue value = attribute.getValue();
            switch (value.getValueCase()) {
                case STRING_VALUE -> text.put(attribute.getKey(), value.getStringValue());
                case INT_VALUE -> text.put(attribute.getKey(), Long.toString(value.getIntValue()));
                case BOOL_VALUE -> text.put(attribute.getKey(), Boolean.toString(value.getBoolValue()));
                case DOUBLE_VALUE -> text.put(attribute.getKey(), Double.toString(value.getDoubleValue()));
                default -> { }
            }
        }
        return text;
    }

    private static RejectedRecord reject(OtlpRecord record, String reason) {
        return new RejectedRecord(record.topic(), record.partition(), record.offset(), reason);
    }
}
