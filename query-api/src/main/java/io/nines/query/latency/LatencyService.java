package io.nines.query.latency;

import java.time.Duration;
import java.util.List;
import io.nines.query.storage.Sql;

/** Answers latency questions from merged per-minute sketches; percentiles are never averaged. */
public final class LatencyService {

    private final LatencyRepository repository;

    public LatencyService(Sql sql) {
        this.repository = new LatencyRepository(sql);
    }

    /** Every service that has ever reported latency, sorted by name. */
    public List<String> services() {
        return repository.services();
    }

    /**
     * @throws UnknownServiceException when the service never reported: a quiet one gets zero counts instead
     */
    public LatencyStats latency(LatencyQuery query) {
        LatencyRepository.Aggregate total = repository.total(query);
        if (total.count() == 0) {
            requireKnown(query.service());
        }
        return stats(total, query.quantiles());
    }

    /** @throws UnknownServiceException when the service never reported */
    public List<LatencyPoint> series(SeriesQuery series) {
        List<LatencyRepository.Aggregate> steps = repository.series(series);
        if (steps.isEmpty()) {
            requireKnown(series.latency().service());
        }
        Duration step = series.step();
        var start = series.latency().range().firstMinute();
        return steps.stream()
                .map(aggregate -> new LatencyPoint(start.plus(step.multipliedBy(aggregate.stepIndex())),
                        stats(aggregate, series.latency().quantiles())))
                .toList();
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
