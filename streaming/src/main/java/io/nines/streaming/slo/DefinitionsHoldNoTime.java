package io.nines.streaming.slo;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Watermarks for the definitions stream: none, and the stream always idle. Definitions have no event
 * time, and the operator they are broadcast into takes the least watermark of its active inputs, so an
 * idle definitions input neither holds the spans' event time back nor pushes it anywhere. (Emitting the
 * end of time instead would make that operator leap to the end of time as soon as the spans source goes
 * idle in a quiet spell, and every later span would be late.)
 */
public final class DefinitionsHoldNoTime<T> implements WatermarkGenerator<T> {

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.markIdle();
    }
}
