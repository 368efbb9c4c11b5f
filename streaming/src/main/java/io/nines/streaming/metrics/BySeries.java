package io.nines.streaming.metrics;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys points by their time series, for cumulative-to-delta conversion. */
public final class BySeries implements KeySelector<HistogramPoint, String> {

    @Override
    public String getKey(HistogramPoint point) {
        return point.series();
    }
}
