package io.nines.streaming.latency;

import io.nines.streaming.otlp.SpanEvent;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** A span's event time is its end: the moment its caller observed the outcome. */
public final class SpanEndTime implements SerializableTimestampAssigner<SpanEvent> {

    @Override
    public long extractTimestamp(SpanEvent span, long recordTimestamp) {
        return span.endEpochMillis();
    }
}
