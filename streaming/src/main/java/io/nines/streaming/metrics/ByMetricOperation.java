package io.nines.streaming.metrics;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys delta points by the operation and metric they measure. */
public final class ByMetricOperation implements KeySelector<HistogramPoint, MetricKey> {

    @Override
    public MetricKey getKey(HistogramPoint point) {
        return new MetricKey(point.service(), point.operation(), point.metric());
    }
}
