package io.nines.query.latency;

import io.nines.core.latency.LatencyHistogram;
import io.nines.query.paging.Page;
import io.nines.query.paging.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.nines.query.storage.Sql;

/**
 * Answers latency questions from merged per-minute sketches (or their rollups); percentiles are never averaged.
 * Each answer comes from one {@link Source}: the service's spans, or its histogram metrics when it sent no spans
 * in the range.
 */
public final class LatencyService {

    private final LatencyRepository repository;

    public LatencyService(Sql sql) {
        this(sql, LatencyRepository.REACH_FRESH_FOR);
    }

    /** @param reachFreshFor how long a read of the rollups' reach is reused */
    LatencyService(Sql sql, Duration reachFreshFor) {
        this.repository = new LatencyRepository(sql, reachFreshFor);
    }

    /** A page of the services that reported latency, by spans or by metrics, by name. */
    public Page<String> services(PageRequest page) {
        return page.page(repository.services(page.after(1).map(key -> key.text(0)), page.fetch()), List::of);
    }

    /**
     * @throws UnknownServiceException when the service never reported: a quiet one gets zero counts instead
     */
    public Sourced<LatencyStats> latency(LatencyQuery query) {
        Source source = repository.source(query);
        LatencyRepository.Aggregate total = repository.total(query, source);
        if (total.count() == 0) {
            requireKnown(query.service());
        }
        return new Sourced<>(source, stats(total, query.quantiles()));
    }

    /** @throws UnknownServiceException when the service never reported */
    public Sourced<List<LatencyPoint>> series(SeriesQuery series) {
        Source source = repository.source(series.latency());
        List<LatencyRepository.Aggregate> steps = repository.series(series, source);
        if (steps.isEmpty()) {
            requireKnown(series.latency().service());
        }
        Duration step = series.step();
        var start = series.latency().range().firstMinute();
        return new Sourced<>(source, steps.stream()
                .map(aggregate -> new LatencyPoint(start.plus(step.multipliedBy(aggregate.stepIndex())),
                        stats(aggregate, series.latency().quantiles())))
                .toList());
    }

    /**
     * Spans per step and latency band: bands sized to the range's data (at most {@code heatmap.bands()}), summed in
     * ClickHouse; every span of the range is in exactly one cell.
     *
     * @throws UnknownServiceException when the service never reported
     */
    public Sourced<LatencyHeatmap> heatmap(HeatmapQuery heatmap) {
        Source source = repository.source(heatmap.latency());
        Map<Integer, Long> buckets = repository.buckets(heatmap.latency(), source);
        if (buckets.isEmpty()) {
            requireKnown(heatmap.latency().service());
        }
        boolean zero = buckets.containsKey(LatencyHistogram.ZERO_BUCKET);
        List<Integer> tracked = buckets.keySet().stream().filter(b -> b != LatencyHistogram.ZERO_BUCKET).toList();
        LatencyBands bands = LatencyBands.covering(tracked.isEmpty() ? 0 : tracked.get(0),
                tracked.isEmpty() ? 0 : tracked.get(tracked.size() - 1), !tracked.isEmpty(), zero, heatmap.bands());
        List<LatencyHeatmap.Cell> cells = buckets.isEmpty() ? List.of() : repository.bands(heatmap, bands, source).stream()
                .map(cell -> new LatencyHeatmap.Cell((int) cell.stepIndex(), bands.row(cell.band()), cell.count()))
                .toList();
        Instant start = heatmap.latency().range().firstMinute();
        List<Instant> steps = new ArrayList<>();
        for (long i = 0; i < heatmap.steps(); i++) {
            steps.add(start.plus(heatmap.step().multipliedBy(i)));
        }
        long count = cells.stream().mapToLong(LatencyHeatmap.Cell::count).sum();
        return new Sourced<>(source, new LatencyHeatmap(steps, bands.bands(), cells, count));
    }

    private void requireKnown(String service) {
        if (!repository.serviceExists(service)) {
            throw new UnknownServiceException(service);
        }
    }

    private static LatencyStats stats(LatencyRepository.Aggregate aggregate, Quantiles quantiles) {
        return new LatencyStats(aggregate.count(), aggregate.errors(), quantiles.of(aggregate.histogram()));
    }
}
