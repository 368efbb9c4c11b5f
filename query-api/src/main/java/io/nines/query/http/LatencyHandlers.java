package io.nines.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.nines.query.latency.HeatmapQuery;
import io.nines.query.latency.LatencyHeatmap;
import io.nines.query.latency.LatencyPoint;
import io.nines.query.latency.LatencyQuery;
import io.nines.query.latency.LatencyService;
import io.nines.query.latency.LatencyStats;
import io.nines.query.latency.Quantiles;
import io.nines.query.latency.SeriesQuery;
import io.nines.query.latency.Sourced;
import io.nines.query.paging.Page;
import io.nines.query.resilience.StaleCache;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/services/...}: parses the request into a query, asks the service, writes JSON. */
final class LatencyHandlers {

    record ServiceName(String name) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ServicesResponse(List<ServiceName> services, String nextCursor) {}

    /**
     * {@code source}: {@code spans} or {@code metrics}, what the answer was read from; {@code stale} only when
     * ClickHouse failed and this is the last good answer.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LatencyResponse(String service, String operation, String from, String to, String source, long count,
            long errors, Map<String, Double> quantiles, Boolean stale) {
        LatencyResponse asStale() {
            return new LatencyResponse(service, operation, from, to, source, count, errors, quantiles, true);
        }
    }

    record Point(String t, long count, long errors, Map<String, Double> quantiles) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SeriesResponse(String service, String operation, String from, String to, String source, long step,
            List<Point> points, Boolean stale) {
        SeriesResponse asStale() {
            return new SeriesResponse(service, operation, from, to, source, step, points, true);
        }
    }

    record Band(double lowerMs, double upperMs) {}

    /** Spans of step {@code t} (index into steps) in band {@code band} (index into bands). */
    record Cell(int t, int band, long count) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HeatmapResponse(String service, String operation, String from, String to, String source, long step,
            long count, List<String> steps, List<Band> bands, List<Cell> cells, Boolean stale) {
        HeatmapResponse asStale() {
            return new HeatmapResponse(service, operation, from, to, source, step, count, steps, bands, cells, true);
        }
    }

    private final LatencyService latency;
    private final InstantSource clock;
    private final StaleCache<Answers.ReadKey, LatencyResponse> latencyCache;
    private final StaleCache<Answers.ReadKey, SeriesResponse> seriesCache;
    private final StaleCache<Answers.ReadKey, HeatmapResponse> heatmapCache;

    LatencyHandlers(LatencyService latency, InstantSource clock, StaleCache<Answers.ReadKey, LatencyResponse> latencyCache,
            StaleCache<Answers.ReadKey, SeriesResponse> seriesCache,
            StaleCache<Answers.ReadKey, HeatmapResponse> heatmapCache) {
        this.latency = latency;
        this.clock = clock;
        this.latencyCache = latencyCache;
        this.seriesCache = seriesCache;
        this.heatmapCache = heatmapCache;
    }

    void services(Context ctx) {
        Page<String> page = latency.services(Params.page(ctx));
        Answers.json(ctx, new ServicesResponse(page.items().stream().map(ServiceName::new).toList(), page.next()));
    }

    void latency(Context ctx) {
        LatencyQuery query = query(ctx);
        StaleCache.Answer<LatencyResponse> answer = latencyCache.get(Answers.ReadKey.of(ctx),
                Answers.ReadKey.shape(ctx, query.range(), clock), () -> {
            Sourced<LatencyStats> sourced = latency.latency(query);
            LatencyStats stats = sourced.value();
            return new LatencyResponse(query.service(), query.operation().orElse(null), text(query.range().from()),
                    text(query.range().to()), sourced.source().label(), stats.count(), stats.errors(),
                    stats.quantiles(), null);
        });
        Answers.cacheHeaders(ctx, answer);
        Answers.json(ctx, answer.stale() ? answer.value().asStale() : answer.value());
    }

    void series(Context ctx) {
        LatencyQuery query = query(ctx);
        String step = ctx.queryParam("step");
        Duration stepDuration = Params.present(step) ? Params.duration("step", step)
                : SeriesQuery.defaultStep(query.range());
        SeriesQuery series = new SeriesQuery(query, stepDuration);
        StaleCache.Answer<SeriesResponse> answer = seriesCache.get(Answers.ReadKey.of(ctx),
                Answers.ReadKey.shape(ctx, query.range(), clock), () -> {
            Sourced<List<LatencyPoint>> sourced = latency.series(series);
            List<Point> points = sourced.value().stream().map(LatencyHandlers::point).toList();
            return new SeriesResponse(query.service(), query.operation().orElse(null), text(query.range().from()),
                    text(query.range().to()), sourced.source().label(), series.step().toMillis(), points, null);
        });
        Answers.cacheHeaders(ctx, answer);
        Answers.json(ctx, answer.stale() ? answer.value().asStale() : answer.value());
    }

    void heatmap(Context ctx) {
        LatencyQuery query = new LatencyQuery(ctx.pathParam("service"), Params.optional(ctx.queryParam("operation")),
                Params.range(ctx.queryParam("from"), ctx.queryParam("to"), clock), Quantiles.DEFAULT);
        String step = ctx.queryParam("step");
        String bands = ctx.queryParam("bands");
        HeatmapQuery heatmap = new HeatmapQuery(query,
                Params.present(step) ? Params.duration("step", step) : HeatmapQuery.defaultStep(query.range()),
                Params.present(bands) ? Params.integer("bands", bands) : HeatmapQuery.DEFAULT_BANDS);
        StaleCache.Answer<HeatmapResponse> answer = heatmapCache.get(Answers.ReadKey.of(ctx),
                Answers.ReadKey.shape(ctx, query.range(), clock), () -> {
            Sourced<LatencyHeatmap> sourced = latency.heatmap(heatmap);
            LatencyHeatmap result = sourced.value();
            return new HeatmapResponse(query.service(), query.operation().orElse(null), text(query.range().from()),
                    text(query.range().to()), sourced.source().label(), heatmap.step().toMillis(), result.count(),
                    result.steps().stream().map(LatencyHandlers::text).toList(),
                    result.bands().stream().map(b -> new Band(b.lowerMs(), b.upperMs())).toList(),
                    result.cells().stream().map(c -> new Cell(c.step(), c.band(), c.count())).toList(), null);
        });
        Answers.cacheHeaders(ctx, answer);
        Answers.json(ctx, answer.stale() ? answer.value().asStale() : answer.value());
    }

    private LatencyQuery query(Context ctx) {
        String quantiles = ctx.queryParam("quantiles");
        return new LatencyQuery(ctx.pathParam("service"), Params.optional(ctx.queryParam("operation")),
                Params.range(ctx.queryParam("from"), ctx.queryParam("to"), clock),
                Params.present(quantiles) ? Quantiles.parse(quantiles) : Quantiles.DEFAULT);
    }

    private static Point point(LatencyPoint point) {
        LatencyStats stats = point.stats();
        return new Point(text(point.start()), stats.count(), stats.errors(), stats.quantiles());
    }

    private static String text(Instant instant) {
        return instant.toString();
    }
}
