package io.nines.streaming.slo;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Folds SLO events into their minute's good and total counts as they arrive, so a window holds two numbers. */
public final class CountGood implements AggregateFunction<SloEvent, GoodTotal, GoodTotal> {

    @Override
    public GoodTotal createAccumulator() {
        return GoodTotal.ZERO;
    }

    @Override
    public GoodTotal add(SloEvent event, GoodTotal counts) {
        return counts.plus(event.good());
    }

    @Override
    public GoodTotal getResult(GoodTotal counts) {
        return counts;
    }

    @Override
    public GoodTotal merge(GoodTotal a, GoodTotal b) {
        return a.plus(b);
    }
}
