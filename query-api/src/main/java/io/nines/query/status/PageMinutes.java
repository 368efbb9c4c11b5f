package io.nines.query.status;

import io.nines.query.storage.Sql;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Reads {@code slo_minute} for a whole page of SLOs at once: the same sums as {@link MinuteRepository}, one query for
 * every SLO of the page instead of one per SLO. The SLOs' differing windows, slice lengths and targets travel as
 * bound array parameters that {@code transform(slo, names, values, default)} looks up per row, so a row counts only
 * from its own SLO's window start, exactly as the per-SLO query bounds it.
 */
final class PageMinutes {

    /**
     * What the page's sums need to know of one SLO; every instant on a whole minute. {@code countsFrom} is the first
     * minute of its current incarnation, as for {@link MinuteRepository}.
     */
    record Plan(String slo, Instant countsFrom, Instant windowFrom, Instant earliest,
            List<MinuteRepository.Minutes> excluded) {}

    /** What the page's bad-slice counts need to know of one timeslice SLO. */
    record SlicePlan(String slo, Instant countsFrom, MinuteRepository.Minutes range, Duration slice,
            double sliceTarget) {}

    private final Sql sql;
    private final String minutes;

    PageMinutes(Sql sql) {
        this.sql = sql;
        this.minutes = sql.table("slo_minute");
    }

    /**
     * Window and lookback sums of each SLO of {@code plans}, by SLO, then by group value; a group appears when it has
     * rows from the SLO's earliest minute on. Every window and lookback ends at {@code end}.
     */
    Map<String, Map<String, MinuteRepository.Totals>> totals(List<Plan> plans, Map<String, Instant> lookbackStarts,
            Instant end) {
        Map<String, Map<String, MinuteRepository.Totals>> result = new LinkedHashMap<>();
        if (plans.isEmpty()) {
            return result;
        }
        List<Object> parameters = new ArrayList<>();
        List<String> names = plans.stream().map(Plan::slo).toList();
        StringBuilder select = new StringBuilder("SELECT slo, group_value,"
                + " sumIf(good, at >= window_from), sumIf(total, at >= window_from)");
        for (Instant start : lookbackStarts.values()) {
            select.append(", sumIf(good, at >= ?), sumIf(total, at >= ?)");
            parameters.add(start.getEpochSecond());
            parameters.add(start.getEpochSecond());
        }
        select.append(" FROM (SELECT slo, group_value, good, total, toInt64(toUnixTimestamp(minute)) AS at, ")
                .append(lookup(names, plans.stream().map(p -> p.windowFrom().getEpochSecond()).toList(), parameters))
                .append(" AS window_from, ")
                .append(lookup(names, plans.stream().map(p -> p.earliest().getEpochSecond()).toList(), parameters))
                .append(" AS earliest, ")
                .append(lookup(names, plans.stream().map(p -> p.countsFrom().getEpochSecond()).toList(), parameters))
                .append(" AS counts_from FROM ").append(minutes).append(" FINAL WHERE slo IN ")
                .append(in(names, parameters))
                .append(" AND minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC')");
        Instant earliest = plans.stream().map(Plan::earliest).min(Instant::compareTo).orElseThrow();
        parameters.add(earliest.getEpochSecond());
        parameters.add(end.getEpochSecond());
        excluded(plans, select, parameters);
        select.append(") WHERE at >= earliest AND at >= counts_from GROUP BY slo, group_value");
        List<String> labels = List.copyOf(lookbackStarts.keySet());
        sql.query(select.toString(), parameters, rows -> {
            Map<String, MinuteRepository.Sums> lookbacks = new LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                lookbacks.put(labels.get(i), new MinuteRepository.Sums(rows.getLong(5 + 2 * i),
                        rows.getLong(6 + 2 * i)));
            }
            return result.computeIfAbsent(rows.getString(1), slo -> new LinkedHashMap<>()).put(rows.getString(2),
                    new MinuteRepository.Totals(new MinuteRepository.Sums(rows.getLong(3), rows.getLong(4)),
                            lookbacks));
        });
        return result;
    }

    /**
     * Slices (aligned to the epoch, each SLO's own length) within each SLO's range whose good ratio fell below its
     * slice target, by SLO, then by group value when {@code byGroup}, else under {@code ""}; every range ends at the
     * same minute. Like {@link MinuteRepository#badSlices}, maintenance windows do not apply to slices.
     */
    Map<String, Map<String, Long>> badSlices(List<SlicePlan> plans, boolean byGroup) {
        Map<String, Map<String, Long>> result = new LinkedHashMap<>();
        if (plans.isEmpty()) {
            return result;
        }
        List<Object> parameters = new ArrayList<>();
        List<String> names = plans.stream().map(SlicePlan::slo).toList();
        Instant from = plans.stream().map(p -> p.range().from()).min(Instant::compareTo).orElseThrow();
        Instant to = plans.get(0).range().to();
        String group = byGroup ? "group_value" : "''";
        // Parameters are bound in the order their marks appear in the text.
        StringBuilder query = new StringBuilder("SELECT slo, g_value, countIf(t > 0 AND g / t < ")
                .append(lookup(names, plans.stream().map(SlicePlan::sliceTarget).toList(), parameters))
                .append(") FROM (SELECT slo, ").append(group).append(" AS g_value, intDiv(at, ")
                .append(lookup(names, plans.stream().map(p -> p.slice().toSeconds()).toList(), parameters))
                .append(") AS slice, sum(good) AS g, sum(total) AS t FROM (SELECT slo, group_value, good, total,"
                        + " toInt64(toUnixTimestamp(minute)) AS at FROM ").append(minutes)
                .append(" FINAL WHERE slo IN ").append(in(names, parameters))
                .append(" AND minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC')) WHERE at >= ");
        parameters.add(from.getEpochSecond());
        parameters.add(to.getEpochSecond());
        query.append(lookup(names, plans.stream().map(p -> p.range().from().getEpochSecond()).toList(), parameters))
                .append(" AND at >= ")
                .append(lookup(names, plans.stream().map(p -> p.countsFrom().getEpochSecond()).toList(), parameters))
                .append(" GROUP BY slo, g_value, slice) GROUP BY slo, g_value");
        sql.query(query.toString(), parameters, rows -> result.computeIfAbsent(rows.getString(1),
                slo -> new LinkedHashMap<>()).put(rows.getString(2), rows.getLong(3)));
        return result;
    }

    /** Leaves out each SLO's excluded minutes: one condition per distinct range, naming the SLOs it applies to. */
    private static void excluded(List<Plan> plans, StringBuilder select, List<Object> parameters) {
        Map<MinuteRepository.Minutes, List<String>> sloByRange = new LinkedHashMap<>();
        plans.forEach(plan -> plan.excluded().forEach(range ->
                sloByRange.computeIfAbsent(range, r -> new ArrayList<>()).add(plan.slo())));
        sloByRange.forEach((range, slos) -> {
            select.append(" AND NOT (minute >= toDateTime(?, 'UTC') AND minute < toDateTime(?, 'UTC') AND slo IN ");
            parameters.add(range.from().getEpochSecond());
            parameters.add(range.to().getEpochSecond());
            select.append(in(slos, parameters)).append(')');
        });
    }

    /** {@code transform(slo, [names], [values], default)}: each row's value of its own SLO, all bound. */
    private static String lookup(List<String> names, List<? extends Number> values, List<Object> parameters) {
        boolean decimal = values.get(0) instanceof Double;
        String cast = decimal ? "Float64" : "Int64";
        return "transform(slo, CAST(" + marks(names, parameters, "[", "]") + " AS Array(String)), CAST("
                + marks(values, parameters, "[", "]") + " AS Array(" + cast + ")), CAST(0 AS " + cast + "))";
    }

    /** {@code (?, ?, ...)}: an IN list, values bound in order. */
    private static String in(List<?> values, List<Object> parameters) {
        return marks(values, parameters, "(", ")");
    }

    private static String marks(List<?> values, List<Object> parameters, String open, String close) {
        StringJoiner marks = new StringJoiner(", ", open, close);
        values.forEach(value -> {
            marks.add("?");
            parameters.add(value);
        });
        return marks.toString();
    }
}
