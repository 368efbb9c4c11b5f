package io.nines.streaming.slo;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts SLO events that arrived after their minute's allowed lateness; the window operator only counts the
 * ones it drops, and these are routed aside instead.
 */
public final class CountLateSloEvents extends ProcessFunction<SloEvent, SloEvent> {

    private transient Counter lateSloEvents;

    @Override
    public void open(OpenContext openContext) {
        lateSloEvents = getRuntimeContext().getMetricGroup().counter("lateSloEvents");
    }

    @Override
    public void processElement(SloEvent event, Context ctx, Collector<SloEvent> out) {
        lateSloEvents.inc();
        out.collect(event);
    }
}
