package io.nines.streaming.metrics;

import io.nines.streaming.latency.LatencyAccumulator;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds delta points into their minute's accumulator, in the spans' bucket mapping. */
public final class MetricAggregate
        implements AggregateFunction<HistogramPoint, LatencyAccumulator, LatencyAccumulator> {

    @Override
    public LatencyAccumulator createAccumulator() {
        return new LatencyAccumulator();
    }

    @Override
    public LatencyAccumulator add(HistogramPoint point, LatencyAccumulator accumulator) {
        long observations = point.buckets().values().stream().mapToLong(Long::longValue).sum();
        accumulator.addBuckets(point.buckets(), point.error() ? observations : 0, point.sumMillis());
        return accumulator;
    }

    // The window reads the result only to copy it into a MetricLatencyMinute, so handing out the state is safe.
    @Override
    public LatencyAccumulator getResult(LatencyAccumulator accumulator) {
        return accumulator;
    }

    @Override
    public LatencyAccumulator merge(LatencyAccumulator a, LatencyAccumulator b) {
        a.merge(b);
        return a;
    }
}
