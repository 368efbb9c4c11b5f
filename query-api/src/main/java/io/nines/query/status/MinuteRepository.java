package io.nines.query.status;

import io.nines.query.storage.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code slo_minute} (with FINAL, so a re-emitted minute counts once, in its newest version) and the
 * stream's progress (how far its minutes are final) from {@code stream_progress}. Sums are computed in ClickHouse; every value is bound.
 *
 * <p>Rows are keyed by SLO name only, so a name deleted and created again would find the deleted SLO's minutes: every
 * read takes {@code countsFrom}, the first minute of the SLO's current incarnation ({@link Instant#EPOCH} for an SLO
 * never deleted), and counts no minute before it.
 */
final class MinuteRepository {

    /** Good and total events. */
    record Sums(long good, long total) {
        static final Sums ZERO = new Sums(0, 0);

        Sums plus(Sums other) {
            return new Sums(good + other.good, total + other.total);
        }
    }

    /** Sums over the budget window and over each burn-rate lookback, by lookback label. */
    record Totals(Sums window, Map<String, Sums> lookbacks) {}

    /** A half-open range of minutes [from, to), both on whole minutes. */
    record Minutes(Instant from, Instant to) {}

    private final Sql sql;
    private final String minutes;
    private final String progress;

    MinuteRepository(Sql sql) {
        this.sql = sql;
        this.minutes = sql.table("slo_minute");
        this.progress = sql.table("stream_progress");
    }

    /**
     * Window and lookback sums, per group when {@code byGroup} (only groups with rows), else one entry under
     * {@code ""} summing every group. Every lookback ends where the window ends.
     */
    Map<String, Totals> totals(String slo, Instant countsFrom, Minutes window, Map<String, Instant> lookbackStarts,
            boolean byGroup) {
        return totals(slo, countsFrom, window, lookbackStarts, byGroup, List.of());
    }

    /** As above, skipping the minutes within {@code excluded} (maintenance windows). */
    Map<String, Totals> totals(String slo, Instant countsFrom, Minutes window, Map<String, Instant> lookbackStarts,
            boolean byGroup, List<Minutes> excluded) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder select = new StringBuilder("SELECT ").append(byGroup ? "group_value" : "''");
        select.append(", sumIf(good, minute >= toDateTime(?, 'UTC')), sumIf(total, minute >= toDateTime(?, 'UTC'))");
        parameters.add(seconds(window.from()));
        parameters.add(seconds(window.from()));
        Instant earliest = window.from();
        for (Instant start : lookbackStarts.values()) {
            select.append(", sumIf(good, minute >= toDateTime(?, 'UTC')), sumIf(total, minute >= toDateTime(?, 'UTC'))");
            parameters.add(seconds(start));
            parameters.add(seconds(start));
            earliest = start.isBefore(earliest) ? start : earliest;
        }
        select.append(" FROM ").append(minutes).append(" FINAL WHERE slo = ? AND minute >= toDateTime(?, 'UTC')"
                + " AND minute < toDateTime(?, 'UTC') AND minute >= toDateTime(?, 'UTC')");
        parameters.add(slo);
        parameters.add(seconds(earliest));
        parameters.add(seconds(window.to()));
        parameters.add(seconds(countsFrom));
        for (Minutes skipped : excluded) {
            select.append(" AND NOT (minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC'))");
            parameters.add(seconds(skipped.from()));
            parameters.add(seconds(skipped.to()));
        }
        if (byGroup) {
            select.append(" GROUP BY group_value");
        }
        List<String> labels = List.copyOf(lookbackStarts.keySet());
        Map<String, Totals> result = new LinkedHashMap<>();
        sql.query(select.toString(), parameters, rows -> {
            Map<String, Sums> lookbacks = new LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                lookbacks.put(labels.get(i), new Sums(rows.getLong(4 + 2 * i), rows.getLong(5 + 2 * i)));
            }
            return result.put(rows.getString(1), new Totals(new Sums(rows.getLong(2), rows.getLong(3)), lookbacks));
        });
        return result;
    }

    /**
     * Time slices (aligned to the epoch) within {@code range} whose good ratio fell below {@code sliceTarget},
     * counted per group when {@code byGroup}, else under {@code ""}.
     */
    Map<String, Long> badSlices(String slo, Instant countsFrom, Minutes range, Duration slice, double sliceTarget,
            boolean byGroup) {
        String group = byGroup ? "group_value, " : "";
        String query = "SELECT " + (byGroup ? "group_value" : "''") + ", countIf(t > 0 AND g / t < ?) FROM (SELECT "
                + group + "intDiv(toInt64(toUnixTimestamp(minute)), ?) AS slice, sum(good) AS g, sum(total) AS t FROM "
                + minutes + " FINAL WHERE slo = ? AND minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC')"
                + " AND minute >= toDateTime(?, 'UTC') GROUP BY " + group + "slice)"
                + (byGroup ? " GROUP BY group_value" : "");
        Map<String, Long> result = new LinkedHashMap<>();
        sql.query(query, List.of(sliceTarget, slice.toSeconds(), slo, seconds(range.from()), seconds(range.to()),
                seconds(countsFrom)),
                rows -> result.put(rows.getString(1), rows.getLong(2)));
        return result;
    }

    /** Sums per cell of {@code cell} length from {@code range.from}, for every cell that has rows. */
    Map<Long, Sums> cells(String slo, Instant countsFrom, Minutes range, Duration cell) {
        String query = "SELECT intDiv(toInt64(toUnixTimestamp(minute)) - ?, ?) AS cell, sum(good), sum(total) FROM "
                + minutes + " FINAL WHERE slo = ? AND minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC')"
                + " AND minute >= toDateTime(?, 'UTC') GROUP BY cell";
        Map<Long, Sums> result = new LinkedHashMap<>();
        sql.query(query, List.of(seconds(range.from()), cell.toSeconds(), slo, seconds(range.from()),
                seconds(range.to()), seconds(countsFrom)),
                rows -> result.put(rows.getLong(1), new Sums(rows.getLong(2), rows.getLong(3))));
        return result;
    }

    /** Start times (epoch seconds) of the slices within {@code range} that fell below the slice target. */
    long[] badSliceStarts(String slo, Instant countsFrom, Minutes range, Duration slice, double sliceTarget) {
        String query = "SELECT slice * ? FROM (SELECT intDiv(toInt64(toUnixTimestamp(minute)), ?) AS slice,"
                + " sum(good) AS g, sum(total) AS t FROM " + minutes + " FINAL WHERE slo = ?"
                + " AND minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC')"
                + " AND minute >= toDateTime(?, 'UTC')"
                + " GROUP BY slice)"
                + " WHERE t > 0 AND g / t < ? ORDER BY slice";
        return sql.query(query, List.of(slice.toSeconds(), slice.toSeconds(), slo, seconds(range.from()),
                seconds(range.to()), seconds(countsFrom), sliceTarget), rows -> rows.getLong(1)).stream()
                .mapToLong(Long::longValue).toArray();
    }

    /**
     * How far the job's minutes are final (its watermark less the allowed lateness): a minute that ends at or before
     * it can no longer change. Empty without a row, or when the newest row is from a job that did not say.
     */
    Optional<Instant> finalUntil(String job) {
        return sql.query("SELECT toUnixTimestamp64Milli(assumeNotNull(final_until)) FROM (SELECT final_until FROM "
                + progress + " FINAL WHERE job = ?) WHERE final_until IS NOT NULL", List.of(job),
                MinuteRepository::instant).stream().findFirst();
    }

    private static Instant instant(ResultSet rows) throws SQLException {
        return Instant.ofEpochMilli(rows.getLong(1));
    }

    private static long seconds(Instant instant) {
        return instant.getEpochSecond();
    }
}
