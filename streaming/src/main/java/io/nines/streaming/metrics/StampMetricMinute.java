package io.nines.streaming.metrics;

import io.nines.streaming.latency.LatencyAccumulator;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Names the minute a metric aggregate belongs to: the start of its window. */
public final class StampMetricMinute
        extends ProcessWindowFunction<LatencyAccumulator, MetricLatencyMinute, MetricKey, TimeWindow> {

    @Override
    public void process(MetricKey key, Context context, Iterable<LatencyAccumulator> aggregates,
                        Collector<MetricLatencyMinute> out) {
        for (LatencyAccumulator minute : aggregates) {
            out.collect(new MetricLatencyMinute(key.service(), key.operation(), key.metric(),
                    context.window().getStart(), minute.count(), minute.errors(), minute.sumMillis(),
                    minute.buckets()));
        }
    }
}
