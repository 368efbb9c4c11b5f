package io.nines.streaming.metrics;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/**
 * A point's event time is its time: the end of the interval its counts cover. A delta's observations all
 * count in the minute their interval ended in, so with a 60 s export interval they may lie up to a minute
 * earlier than their row says.
 */
public final class PointTime implements SerializableTimestampAssigner<HistogramPoint> {

    @Override
    public long extractTimestamp(HistogramPoint point, long recordTimestamp) {
        return point.timeEpochMillis();
    }
}
