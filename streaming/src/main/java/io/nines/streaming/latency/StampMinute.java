package io.nines.streaming.latency;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Names the minute an aggregate belongs to: the start of its window. */
public final class StampMinute
        extends ProcessWindowFunction<LatencyAccumulator, LatencyMinute, OperationKey, TimeWindow> {

    @Override
    public void process(OperationKey key, Context context, Iterable<LatencyAccumulator> aggregates,
                        Collector<LatencyMinute> out) {
        TimeWindow window = context.window();
        for (LatencyAccumulator minute : aggregates) {
            out.collect(new LatencyMinute(key.service(), key.operation(), window.getStart(), minute.count(),
                    minute.errors(), minute.sumMillis(), minute.buckets()));
        }
    }
}
