package io.nines.streaming.job;

import io.nines.streaming.late.LateSpan;
import io.nines.streaming.otlp.SpanEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts spans that arrived after their minute's allowed lateness and marks them {@code late} for
 * {@code late_events}; the window operator only counts the ones it drops, and these are routed aside instead.
 */
final class CountLateSpans extends ProcessFunction<SpanEvent, LateSpan> {

    private transient Counter lateSpans;

    @Override
    public void open(OpenContext openContext) {
        lateSpans = getRuntimeContext().getMetricGroup().counter("lateSpans");
    }

    @Override
    public void processElement(SpanEvent span, Context ctx, Collector<LateSpan> out) {
        lateSpans.inc();
        out.collect(LateSpan.of(span, LateSpan.Reason.LATE));
    }
}
