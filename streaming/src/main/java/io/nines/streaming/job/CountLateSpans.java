package io.nines.streaming.job;

import io.nines.streaming.otlp.SpanEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts spans that arrived after their minute's allowed lateness; the window operator only counts the
 * ones it drops, and these are routed aside instead.
 */
final class CountLateSpans extends ProcessFunction<SpanEvent, SpanEvent> {

    private transient Counter lateSpans;

    @Override
    public void open(OpenContext openContext) {
        lateSpans = getRuntimeContext().getMetricGroup().counter("lateSpans");
    }

    @Override
    public void processElement(SpanEvent span, Context ctx, Collector<SpanEvent> out) {
        lateSpans.inc();
        out.collect(span);
    }
}
