package io.nines.streaming.job;

import io.nines.streaming.late.LatePoint;
import io.nines.streaming.late.LateSpan;
import io.nines.streaming.metrics.HistogramPoint;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts histogram points that arrived after their minute's allowed lateness ({@code lateHistogramPoints}) and
 * marks them {@code late} for {@code late_metric_points}, stamped with the processing time they were set aside.
 */
final class CountLatePoints extends ProcessFunction<HistogramPoint, LatePoint> {

    private transient Counter latePoints;

    @Override
    public void open(OpenContext openContext) {
        latePoints = getRuntimeContext().getMetricGroup().counter("lateHistogramPoints");
    }

    @Override
    public void processElement(HistogramPoint point, Context ctx, Collector<LatePoint> out) {
        latePoints.inc();
        out.collect(new LatePoint(point, ctx.timerService().currentProcessingTime(), LateSpan.Reason.LATE));
    }
}
