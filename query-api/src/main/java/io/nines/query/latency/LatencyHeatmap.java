package io.nines.query.latency;

import java.time.Instant;
import java.util.List;

/**
 * Spans per step and latency band.
 *
 * @param steps the start of every step of the range, with data or not
 * @param bands latency bands, lowest first
 * @param cells the non-empty cells, by step then band
 * @param count every span of the range: the sum of the cells
 */
public record LatencyHeatmap(List<Instant> steps, List<LatencyBands.Band> bands, List<Cell> cells, long count) {

    /** Spans of one step (index into steps) in one band (index into bands). */
    public record Cell(int step, int band, long count) {}

    public LatencyHeatmap {
        steps = List.copyOf(steps);
        bands = List.copyOf(bands);
        cells = List.copyOf(cells);
    }
}
