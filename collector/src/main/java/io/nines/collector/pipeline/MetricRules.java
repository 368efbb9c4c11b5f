package io.nines.collector.pipeline;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A data point is kept when its metric has a name and the point has a time that is not after the
 * {@link Horizon}. Points are what OTLP's partial success counts ({@code rejected_data_points}).
 */
final class MetricRules implements Rules<ExportMetricsServiceRequest> {

    private final Horizon horizon;

    MetricRules(Horizon horizon) {
        this.horizon = horizon;
    }

    /** Data points of a metric, whatever its type. */
    static int points(Metric metric) {
        return switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsCount();
            case SUM -> metric.getSum().getDataPointsCount();
            case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> metric.getSummary().getDataPointsCount();
            case DATA_NOT_SET -> 0;
        };
    }

    @Override
    public Checked<ExportMetricsServiceRequest> check(ExportMetricsServiceRequest request) {
        long latest = horizon.latestNanos();
        Tally tally = new Tally();
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    tallyMetric(metric, latest, tally);
                }
            }
        }
        if (tally.isEmpty()) {
            return new Checked<>(request, tally.counts());
        }
        ExportMetricsServiceRequest.Builder kept = request.toBuilder().clearResourceMetrics();
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            ResourceMetrics.Builder keptResource = resource.toBuilder().clearScopeMetrics();
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                ScopeMetrics.Builder keptScope = scope.toBuilder().clearMetrics();
                for (Metric metric : scope.getMetricsList()) {
                    if (!metric.getName().isEmpty()) {
                        keptScope.addMetrics(withValidPoints(metric, latest));
                    }
                }
                keptResource.addScopeMetrics(keptScope);
            }
            kept.addResourceMetrics(keptResource);
        }
        return new Checked<>(kept.build(), tally.counts());
    }

    private static void tallyMetric(Metric metric, long latest, Tally tally) {
        if (metric.getName().isEmpty()) {
            tally.add(Rejection.MISSING_NAME, points(metric));
            return;
        }
        switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsList().forEach(p -> tallyTime(p.getTimeUnixNano(), latest, tally));
            case SUM -> metric.getSum().getDataPointsList().forEach(p -> tallyTime(p.getTimeUnixNano(), latest, tally));
            case HISTOGRAM -> metric.getHistogram().getDataPointsList()
                    .forEach(p -> tallyTime(p.getTimeUnixNano(), latest, tally));
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsList()
                    .forEach(p -> tallyTime(p.getTimeUnixNano(), latest, tally));
            case SUMMARY -> metric.getSummary().getDataPointsList()
                    .forEach(p -> tallyTime(p.getTimeUnixNano(), latest, tally));
            case DATA_NOT_SET -> { }
        }
    }

    private static void tallyTime(long time, long latest, Tally tally) {
        Rejection reason = verdict(time, latest);
        if (reason != null) {
            tally.add(reason, 1);
        }
    }

    private static Rejection verdict(long time, long latest) {
        if (time == 0) {
            return Rejection.MISSING_TIMESTAMP;
        }
        return Horizon.after(time, latest) ? Rejection.TOO_FAR_IN_FUTURE : null;
    }

    private static Metric withValidPoints(Metric metric, long latest) {
        Metric.Builder kept = metric.toBuilder();
        switch (metric.getDataCase()) {
            case GAUGE -> kept.setGauge(metric.getGauge().toBuilder().clearDataPoints().addAllDataPoints(
                    valid(metric.getGauge().getDataPointsList(), NumberDataPoint::getTimeUnixNano, latest)));
            case SUM -> kept.setSum(metric.getSum().toBuilder().clearDataPoints().addAllDataPoints(
                    valid(metric.getSum().getDataPointsList(), NumberDataPoint::getTimeUnixNano, latest)));
            case HISTOGRAM -> kept.setHistogram(metric.getHistogram().toBuilder().clearDataPoints().addAllDataPoints(
                    valid(metric.getHistogram().getDataPointsList(), HistogramDataPoint::getTimeUnixNano, latest)));
            case EXPONENTIAL_HISTOGRAM -> kept.setExponentialHistogram(metric.getExponentialHistogram().toBuilder()
                    .clearDataPoints().addAllDataPoints(valid(metric.getExponentialHistogram().getDataPointsList(),
                            ExponentialHistogramDataPoint::getTimeUnixNano, latest)));
            case SUMMARY -> kept.setSummary(metric.getSummary().toBuilder().clearDataPoints().addAllDataPoints(
                    valid(metric.getSummary().getDataPointsList(), SummaryDataPoint::getTimeUnixNano, latest)));
            case DATA_NOT_SET -> { }
        }
        return kept.build();
    }

    private static <P> List<P> valid(List<P> points, ToLongFunction<P> time, long latest) {
        return points.stream().filter(p -> verdict(time.applyAsLong(p), latest) == null).toList();
    }
}
