package io.nines.streaming.slo;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Names the SLO, group and minute a count belongs to. */
public final class StampSloMinute extends ProcessWindowFunction<GoodTotal, SloMinute, SloKey, TimeWindow> {

    @Override
    public void process(SloKey key, Context context, Iterable<GoodTotal> counts, Collector<SloMinute> out) {
        for (GoodTotal minute : counts) {
            out.collect(new SloMinute(key.slo(), key.group(), context.window().getStart(), minute.good(),
                    minute.total()));
        }
    }
}
