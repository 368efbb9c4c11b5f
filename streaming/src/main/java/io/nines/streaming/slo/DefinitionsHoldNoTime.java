package io.nines.streaming.slo;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for the definitions stream: always the end of time. Definitions have no event time, and the
 * operator they are broadcast into takes the lesser watermark of its inputs; a silent definitions topic
 * must not hold the spans' event time back.
 */
public final class DefinitionsHoldNoTime<T> implements WatermarkGenerator<T> {

    private static final Watermark END_OF_TIME = new Watermark(Long.MAX_VALUE);

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(END_OF_TIME);
    }
}
