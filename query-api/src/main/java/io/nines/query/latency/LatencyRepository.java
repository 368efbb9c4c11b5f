package io.nines.query.latency;

import io.nines.core.latency.LatencyHistogram;
import io.nines.query.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code latency_minute}. Values are always bound as parameters; the only identifier in the SQL is the
 * table, named through {@link Sql#table}.
 *
 * <p>FINAL collapses the versions of a minute that the stream re-emitted and ClickHouse has not merged yet,
 * so only the newest one counts.
 */
final class LatencyRepository {

    /** One row of counts and merged buckets; for a series, {@code stepIndex} counts steps from the start. */
    record Aggregate(long stepIndex, long count, long errors, LatencyHistogram histogram) {}

    private final Sql sql;
    private final String table;

    LatencyRepository(Sql sql) {
        this.sql = sql;
        this.table = sql.table("latency_minute");
    }

    /** Service names after {@code after}, in order. */
    List<String> services(Optional<String> after, int limit) {
        String sql = "SELECT DISTINCT service FROM " + table + " WHERE service > ? ORDER BY service LIMIT ?";
        return query(sql, List.of(after.orElse(""), limit), rows -> rows.getString(1));
    }

    boolean serviceExists(String service) {
        String sql = "SELECT 1 FROM " + table + " WHERE service = ? LIMIT 1";
        return !query(sql, List.of(service), rows -> rows.getInt(1)).isEmpty();
    }

    Aggregate total(LatencyQuery query) {
        String sql = "SELECT 0, sum(count), sum(errors), sumMap(buckets) FROM " + table + " FINAL"
                + where(query);
        return query(sql, parameters(query), LatencyRepository::aggregate).get(0);
    }

    List<Aggregate> series(SeriesQuery series) {
        LatencyQuery query = series.latency();
        String sql = "SELECT intDiv(toInt64(toUnixTimestamp(minute)) - ?, ?) AS step_index,"
                + " sum(count), sum(errors), sumMap(buckets) FROM " + table + " FINAL" + where(query)
                + " GROUP BY step_index HAVING sum(count) > 0 ORDER BY step_index";
        List<Object> parameters = new ArrayList<>();
        parameters.add(query.range().firstMinute().getEpochSecond());
        parameters.add(series.step().toSeconds());
        parameters.addAll(parameters(query));
        return query(sql, parameters, LatencyRepository::aggregate);
    }

    /** Spans per bucket over the whole range: the data's extent, which sizes the heatmap's bands. */
    Map<Integer, Long> buckets(LatencyQuery query) {
        String sql = "SELECT sumMap(buckets) FROM " + table + " FINAL" + where(query);
        Map<Integer, Long> buckets = new java.util.TreeMap<>();
        query(sql, parameters(query), rows -> {
            ((Map<?, ?>) rows.getObject(1)).forEach((bucket, count) ->
                    buckets.put(((Number) bucket).intValue(), ((Number) count).longValue()));
            return buckets;
        });
        return buckets;
    }

    /** One heatmap cell as ClickHouse sums it: band -1 is the zero bucket, else bands count from bands.first. */
    record BandCount(long stepIndex, long band, long count) {}

    /**
     * Spans per step and band: the minutes' buckets merged and coarsened into bands in ClickHouse, so the answer is
     * at most steps x bands rows whatever the range.
     */
    List<BandCount> bands(HeatmapQuery heatmap, LatencyBands bands) {
        LatencyQuery query = heatmap.latency();
        String sql = "SELECT intDiv(toInt64(toUnixTimestamp(minute)) - ?, ?) AS step_index,"
                + " if(bucket = ?, -1, least(greatest(intDiv(toInt64(bucket) - ?, ?), 0), ?)) AS band, sum(spans) FROM "
                + table + " FINAL"
                + " ARRAY JOIN mapKeys(buckets) AS bucket, mapValues(buckets) AS spans" + where(query)
                + " GROUP BY step_index, band HAVING sum(spans) > 0 ORDER BY step_index, band";
        List<Object> parameters = new ArrayList<>();
        parameters.add(query.range().firstMinute().getEpochSecond());
        parameters.add(heatmap.step().toSeconds());
        parameters.add(LatencyHistogram.ZERO_BUCKET);
        parameters.add(bands.first());
        parameters.add(bands.width());
        // A minute written between the two reads may hold a bucket beyond the extent: its spans go to the edge band.
        parameters.add(Math.max(0, bands.count() - 1));
        parameters.addAll(parameters(query));
        return query(sql, parameters, rows -> new BandCount(rows.getLong(1), rows.getLong(2), rows.getLong(3)));
    }

    private static String where(LatencyQuery query) {
        return " WHERE service = ? AND minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC')"
                + (query.operation().isPresent() ? " AND operation = ?" : "");
    }

    private static List<Object> parameters(LatencyQuery query) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(query.service());
        parameters.add(query.range().firstMinute().getEpochSecond());
        parameters.add(query.range().endMinute().getEpochSecond());
        query.operation().ifPresent(parameters::add);
        return parameters;
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
