package io.nines.query.latency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.nines.core.latency.LatencyHistogram;
import io.nines.query.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Reads {@code latency_minute} and its rollups {@code latency_hour} and {@code latency_day}, or for a service
 * answered from metrics {@code metric_latency_minute} ({@link Source}): each range is cut into
 * segments that one table answers ({@link RollupReach#cover}), read as one {@code UNION ALL} and summed in
 * ClickHouse, so a 400-day range reads about 400 day rows per operation instead of 576,000 minutes. Values are
 * always bound as parameters; the only identifiers in the SQL are the tables and columns of {@link Resolution},
 * named through {@link Sql#table}.
 *
 * <p>FINAL collapses the versions of a minute that the stream re-emitted (and of an hour or day the rollup
 * recomputed) and ClickHouse has not merged yet, so only the newest one counts.
 */
final class LatencyRepository {

    /** One row of counts and merged buckets; for a series, {@code stepIndex} counts steps from the start. */
    record Aggregate(long stepIndex, long count, long errors, LatencyHistogram histogram) {}

    /** How long a read of the rollups' reach is reused; a reach older than that is still right, only shorter. */
    static final Duration REACH_FRESH_FOR = Duration.ofSeconds(5);

    private final Sql sql;
    private final String table;
    private final String metricTable;
    private final String progress;
    private final Cache<String, RollupReach> reach;

    /** @param reachFreshFor how long the rollups' reach is reused (zero: read for every answer) */
    LatencyRepository(Sql sql, Duration reachFreshFor) {
        this.sql = sql;
        this.table = sql.table(Resolution.MINUTE.table);
        this.metricTable = sql.table(Resolution.METRIC_MINUTE.table);
        this.progress = sql.table("rollup_progress");
        // The reach only grows, and the minutes stay when they are rolled up: an answer cut at an older reach reads
        // more minutes and sums the same, so a few seconds of reuse save a query per answer at no cost in truth.
        this.reach = Caffeine.newBuilder().expireAfterWrite(reachFreshFor).maximumSize(1).build();
    }

    /** Service names with span minutes or metric minutes after {@code after}, in order. */
    List<String> services(Optional<String> after, int limit) {
        String sql = "SELECT service FROM (SELECT DISTINCT service FROM " + table + " WHERE service > ? UNION DISTINCT"
                + " SELECT DISTINCT service FROM " + metricTable + " WHERE service > ?) ORDER BY service LIMIT ?";
        String from = after.orElse("");
        return query(sql, List.of(from, from, limit), rows -> rows.getString(1));
    }

    boolean serviceExists(String service) {
        String sql = "SELECT 1 FROM " + table + " WHERE service = ? LIMIT 1 UNION ALL SELECT 1 FROM " + metricTable
                + " WHERE service = ? LIMIT 1";
        return !query(sql, List.of(service, service), rows -> rows.getInt(1)).isEmpty();
    }

    /**
     * Spans when the service has a span minute in the range (any operation), else metrics when it has a metric minute
     * there, else spans (an empty answer either way).
     */
    Source source(LatencyQuery query) {
        String range = " WHERE service = ? AND minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC') LIMIT 1";
        String sql = "SELECT 'spans' FROM " + table + range + " UNION ALL SELECT 'metrics' FROM " + metricTable + range;
        List<Object> parameters = new ArrayList<>();
        for (int table = 0; table < 2; table++) {
            parameters.add(query.service());
            parameters.add(query.range().firstMinute().getEpochSecond());
            parameters.add(query.range().endMinute().getEpochSecond());
        }
        List<String> found = query(sql, parameters, rows -> rows.getString(1));
        return found.contains("spans") || found.isEmpty() ? Source.SPANS : Source.METRICS;
    }

    /** How far the rollups reach, read at most {@code reachFreshFor} ago. */
    RollupReach reach() {
        return reach.get(progress, key -> readReach());
    }

    /** How far the rollups reach now; nothing is rolled up before the stream has closed a whole hour. */
    private RollupReach readReach() {
        String sql = "SELECT rollup_table, toUnixTimestamp(max(through)) FROM " + progress
                + " WHERE rollup_table IN (?, ?) GROUP BY rollup_table";
        Map<String, Instant> reach = new HashMap<>();
        query(sql, List.of(Resolution.HOUR.table, Resolution.DAY.table), rows ->
                reach.put(rows.getString(1), Instant.ofEpochSecond(rows.getLong(2))));
        return new RollupReach(Optional.ofNullable(reach.get(Resolution.HOUR.table)),
                Optional.ofNullable(reach.get(Resolution.DAY.table)));
    }

    Aggregate total(LatencyQuery query, Source source) {
        List<Object> parameters = new ArrayList<>();
        String sql = "SELECT 0, sum(count), sum(errors), sumMap(buckets) FROM "
                + rows(query, whole(query, source), parameters);
        return query(sql, parameters, LatencyRepository::aggregate).get(0);
    }

    List<Aggregate> series(SeriesQuery series, Source source) {
        LatencyQuery query = series.latency();
        List<Object> parameters = new ArrayList<>();
        parameters.add(query.range().firstMinute().getEpochSecond());
        parameters.add(series.step().toSeconds());
        String sql = "SELECT intDiv(toInt64(toUnixTimestamp(t)) - ?, ?) AS step_index,"
                + " sum(count), sum(errors), sumMap(buckets) FROM "
                + rows(query, stepped(query, series.step(), source), parameters)
                + " GROUP BY step_index HAVING sum(count) > 0 ORDER BY step_index";
        return query(sql, parameters, LatencyRepository::aggregate);
    }

    /** Spans per bucket over the whole range: the data's extent, which sizes the heatmap's bands. */
    Map<Integer, Long> buckets(LatencyQuery query, Source source) {
        List<Object> parameters = new ArrayList<>();
        String sql = "SELECT sumMap(buckets) FROM " + rows(query, whole(query, source), parameters);
        Map<Integer, Long> buckets = new java.util.TreeMap<>();
        query(sql, parameters, rows -> {
            ((Map<?, ?>) rows.getObject(1)).forEach((bucket, count) ->
                    buckets.put(((Number) bucket).intValue(), ((Number) count).longValue()));
            return buckets;
        });
        return buckets;
    }

    /** One heatmap cell as ClickHouse sums it: band -1 is the zero bucket, else bands count from bands.first. */
    record BandCount(long stepIndex, long band, long count) {}

    /**
     * Spans per step and band: the stored buckets merged and coarsened into bands in ClickHouse, so the answer is
     * at most steps x bands rows whatever the range.
     */
    List<BandCount> bands(HeatmapQuery heatmap, LatencyBands bands, Source source) {
        LatencyQuery query = heatmap.latency();
        List<Object> parameters = new ArrayList<>();
        parameters.add(query.range().firstMinute().getEpochSecond());
        parameters.add(heatmap.step().toSeconds());
        parameters.add(LatencyHistogram.ZERO_BUCKET);
        parameters.add(bands.first());
        parameters.add(bands.width());
        // A minute written between the two reads may hold a bucket beyond the extent: its spans go to the edge band.
        parameters.add(Math.max(0, bands.count() - 1));
        String sql = "SELECT intDiv(toInt64(toUnixTimestamp(t)) - ?, ?) AS step_index,"
                + " if(bucket = ?, -1, least(greatest(intDiv(toInt64(bucket) - ?, ?), 0), ?)) AS band, sum(spans) FROM "
                + rows(query, stepped(query, heatmap.step(), source), parameters)
                + " ARRAY JOIN mapKeys(buckets) AS bucket, mapValues(buckets) AS spans"
                + " GROUP BY step_index, band HAVING sum(spans) > 0 ORDER BY step_index, band";
        return query(sql, parameters, rows -> new BandCount(rows.getLong(1), rows.getLong(2), rows.getLong(3)));
    }

    /** The segments of a range summed as a whole: any rolled-up day or hour will do. */
    private List<RollupReach.Segment> whole(LatencyQuery query, Source source) {
        if (source == Source.METRICS) {
            return metricMinutes(query);
        }
        return reach().cover(query.range().firstMinute(), query.range().endMinute(), true, true);
    }

    /** The segments of a range summed per step: only rows that no step boundary cuts. */
    private List<RollupReach.Segment> stepped(LatencyQuery query, Duration step, Source source) {
        if (source == Source.METRICS) {
            return metricMinutes(query);
        }
        Instant start = query.range().firstMinute();
        return reach().cover(start, query.range().endMinute(), Resolution.HOUR.fitsSteps(start, step),
                Resolution.DAY.fitsSteps(start, step));
    }

    /** Metric minutes are not rolled up: one segment of the whole range. */
    private static List<RollupReach.Segment> metricMinutes(LatencyQuery query) {
        return List.of(new RollupReach.Segment(Resolution.METRIC_MINUTE, query.range().firstMinute(),
                query.range().endMinute()));
    }

    /**
     * The rows of every segment as one subquery with columns {@code t, count, errors, buckets}; appends the
     * segments' parameters to {@code parameters}.
     */
    private String rows(LatencyQuery query, List<RollupReach.Segment> segments, List<Object> parameters) {
        StringJoiner union = new StringJoiner(" UNION ALL ", "(", ")");
        for (RollupReach.Segment segment : segments) {
            String column = segment.resolution().column;
            union.add("SELECT " + column + " AS t, count, errors, buckets FROM " + sql.table(segment.resolution().table)
                    + " FINAL WHERE service = ? AND " + column + " >= toDateTime(?, 'UTC') AND " + column
                    + " < toDateTime(?, 'UTC')" + (query.operation().isPresent() ? " AND operation = ?" : ""));
            parameters.add(query.service());
            parameters.add(segment.from().getEpochSecond());
            parameters.add(segment.to().getEpochSecond());
            query.operation().ifPresent(parameters::add);
        }
        return union.toString();
    }

    private static Aggregate aggregate(ResultSet rows) throws SQLException {
        LatencyHistogram histogram = new LatencyHistogram();
        Map<?, ?> buckets = (Map<?, ?>) rows.getObject(4);
        buckets.forEach((bucket, count) ->
                histogram.addToBucket(((Number) bucket).intValue(), ((Number) count).longValue()));
        return new Aggregate(rows.getLong(1), rows.getLong(2), rows.getLong(3), histogram);
    }

    private <T> List<T> query(String sql, List<Object> parameters, Sql.RowMapper<T> mapper) {
        return this.sql.query(sql, parameters, mapper);
    }
}
