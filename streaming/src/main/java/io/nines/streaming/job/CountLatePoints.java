package io.nines.streaming.job;

import io.nines.streaming.metrics.HistogramPoint;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Counts histogram points that arrived after their minute's allowed lateness ({@code lateHistogramPoints}). */
final class CountLatePoints extends ProcessFunction<HistogramPoint, HistogramPoint> {

    private transient Counter latePoints;

    @Override
    public void open(OpenContext openContext) {
        latePoints = getRuntimeContext().getMetricGroup().counter("lateHistogramPoints");
    }

    @Override
    public void processElement(HistogramPoint point, Context ctx, Collector<HistogramPoint> out) {
        latePoints.inc();
        out.collect(point);
    }
}
