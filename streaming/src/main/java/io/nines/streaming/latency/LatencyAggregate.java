package io.nines.streaming.latency;

import io.nines.streaming.otlp.SpanEvent;
import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds spans into their minute's accumulator as they arrive, so a window holds counts, not spans. */
public final class LatencyAggregate implements AggregateFunction<SpanEvent, LatencyAccumulator, LatencyAccumulator> {

    @Override
    public LatencyAccumulator createAccumulator() {
        return new LatencyAccumulator();
    }

    @Override
    public LatencyAccumulator add(SpanEvent span, LatencyAccumulator accumulator) {
        accumulator.add(span.durationMillis(), span.error());
        return accumulator;
    }

    // The window reads the result only to copy it into a LatencyMinute, so handing out the state is safe.
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
