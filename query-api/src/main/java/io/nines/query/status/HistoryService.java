package io.nines.query.status;

import io.nines.core.slo.Budgeting;
import io.nines.core.slo.CalendarPeriod;
import io.nines.core.slo.ErrorBudget;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.TimeWindow;
import io.nines.query.latency.InvalidQueryException;
import io.nines.query.latency.TimeRange;
import io.nines.query.slo.SloService;
import io.nines.query.storage.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Burndown points of an SLO. Each point needs sums over its step and over the whole budget window ending at
 * it, so the minutes are summed in ClickHouse once into cells on the coarsest grid every step and window
 * boundary falls on; each point then adds up whole cells.
 *
 * <p>Defaults: {@code to} now; {@code from} one window before {@code to} (rolling) or the start of the period
 * holding {@code to} (calendar); {@code step} the smallest of 1m, 5m, 10m, 15m, 30m, 1h, 2h, 3h, 6h, 12h or
 * whole days that keeps the chart to {@value #DEFAULT_POINTS} points.
 */
public final class HistoryService {

    public static final int MAX_POINTS = 1500;
    public static final int DEFAULT_POINTS = 300;
    /** Bounds the cells one history reads: a window length and a step with a tiny common divisor are refused. */
    static final long MAX_CELLS = 600_000;

    private static final long[] NICE_STEP_MINUTES = {1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440};

    private final MinuteRepository minutes;
    private final SloService slos;
    private final InstantSource clock;

    public HistoryService(Sql sql, SloService slos, InstantSource clock) {
        this.minutes = new MinuteRepository(sql);
        this.slos = slos;
        this.clock = clock;
    }

    public SloHistory history(HistoryQuery query) {
        SloDefinition slo = slos.require(query.name()).definition();
        Instant to = query.to().orElseGet(clock::instant);
        Instant from = query.from().orElseGet(() -> defaultFrom(slo, to));
        TimeRange range = new TimeRange(from, to);
        Instant first = range.firstMinute();
        Instant end = range.endMinute();
        long rangeMinutes = Duration.between(first, end).toMinutes();
        Duration step = query.step().orElseGet(() -> defaultStep(rangeMinutes));
        long stepMinutes = stepMinutes(step, rangeMinutes);

        List<Instant> ends = new ArrayList<>();
        for (Instant t = first.plus(step); ; t = t.plus(step)) {
            ends.add(t.isAfter(end) ? end : t);
            if (!t.isBefore(end)) {
                break;
            }
        }
        List<BudgetWindow> windows = ends.stream().map(t -> BudgetWindow.endingAt(slo, t)).toList();
        Instant base = BudgetWindow.floor(windows.get(0).start());
        base = base.isBefore(first) ? base : first;
        long cellMinutes = gcd(Duration.between(base, end).toMinutes(), minutesBetween(base, first));
        for (int k = 0; k < ends.size(); k++) {
            cellMinutes = gcd(cellMinutes, minutesBetween(base, ends.get(k)));
            cellMinutes = gcd(cellMinutes, minutesBetween(base, BudgetWindow.floor(windows.get(k).start())));
        }
        long cells = Duration.between(base, end).toMinutes() / cellMinutes;
        if (cells > MAX_CELLS) {
            throw new InvalidQueryException("step", "a step of " + stepMinutes + " minutes does not divide the "
                    + slo.window().label() + " window into whole steps over this range; use a step such as 5m, 1h"
                    + " or 1d");
        }
        Instant countsFrom = slos.countsFrom(List.of(slo.name())).get(slo.name());
        Cells sums = new Cells(base, Duration.ofMinutes(cellMinutes),
                minutes.cells(slo.name(), countsFrom, new MinuteRepository.Minutes(base, end),
                        Duration.ofMinutes(cellMinutes)),
                (int) cells);
        long[] badSlices = slo.budgeting().method() == Budgeting.Method.TIMESLICES
                ? minutes.badSliceStarts(slo.name(), countsFrom, new MinuteRepository.Minutes(
                        ErrorBudget.firstSliceStart(base, StatusService.sliceLength(slo)), end),
                        StatusService.sliceLength(slo), StatusService.sliceTarget(slo))
                : new long[0];

        List<SloHistory.Point> points = new ArrayList<>();
        for (int k = 0; k < ends.size(); k++) {
            Instant t = ends.get(k);
            BudgetWindow window = windows.get(k);
            MinuteRepository.Sums inStep = sums.between(k == 0 ? first : ends.get(k - 1), t);
            Instant windowStart = BudgetWindow.floor(window.start());
            long bad = slo.budgeting().method() == Budgeting.Method.TIMESLICES
                    ? count(badSlices, ErrorBudget.firstSliceStart(windowStart, StatusService.sliceLength(slo)), t)
                    : 0;
            ErrorBudget budget = StatusService.budget(slo, window, sums.between(windowStart, t), bad);
            points.add(new SloHistory.Point(t, inStep.good(), inStep.total(), budget.remaining(),
                    ErrorBudget.burnRate(slo.target(), inStep.good(), inStep.total())));
        }
        return new SloHistory(slo, range.from(), range.to(), step, points);
    }

    /** Prefix sums over the cells, so a sum over any run of whole cells is one subtraction. */
    private static final class Cells {
        private final Instant base;
        private final long cellSeconds;
        private final long[] good;
        private final long[] total;

        Cells(Instant base, Duration cell, Map<Long, MinuteRepository.Sums> sums, int cells) {
            this.base = base;
            this.cellSeconds = cell.toSeconds();
            this.good = new long[cells + 1];
            this.total = new long[cells + 1];
            sums.forEach((index, value) -> {
                good[index.intValue() + 1] += value.good();
                total[index.intValue() + 1] += value.total();
            });
            for (int i = 1; i <= cells; i++) {
                good[i] += good[i - 1];
                total[i] += total[i - 1];
            }
        }

        MinuteRepository.Sums between(Instant from, Instant to) {
            int a = index(from);
            int b = index(to);
            return new MinuteRepository.Sums(good[b] - good[a], total[b] - total[a]);
        }

        private int index(Instant instant) {
            long index = Duration.between(base, instant).toSeconds() / cellSeconds;
            return (int) Math.max(0, Math.min(index, good.length - 1));
        }
    }

    private static Instant defaultFrom(SloDefinition slo, Instant to) {
        if (slo.window() instanceof TimeWindow.Calendar calendar) {
            return CalendarPeriod.containing(calendar, to.minusMillis(1)).start();
        }
        return to.minus(((TimeWindow.Rolling) slo.window()).length());
    }

    private static Duration defaultStep(long rangeMinutes) {
        for (long minutes : NICE_STEP_MINUTES) {
            if (ceilDiv(rangeMinutes, minutes) <= DEFAULT_POINTS) {
                return Duration.ofMinutes(minutes);
            }
        }
        return Duration.ofDays(ceilDiv(rangeMinutes, 1440L * DEFAULT_POINTS));
    }

    private static long stepMinutes(Duration step, long rangeMinutes) {
        long millis = step.toMillis();
        if (millis <= 0 || millis % 60_000 != 0) {
            throw new InvalidQueryException("step",
                    "step must be a positive multiple of 60000 ms (whole minutes), was " + millis + " ms");
        }
        long stepMinutes = millis / 60_000;
        long points = ceilDiv(rangeMinutes, stepMinutes);
        if (points > MAX_POINTS) {
            throw new InvalidQueryException("step", "step " + millis + " ms gives " + points
                    + " points over the range, more than the limit of " + MAX_POINTS + "; use a larger step");
        }
        return stepMinutes;
    }

    /** Slices in {@code starts} (sorted epoch seconds) that start within [from, to). */
    private static long count(long[] starts, Instant from, Instant to) {
        return Math.max(0, lowerBound(starts, to.getEpochSecond()) - lowerBound(starts, from.getEpochSecond()));
    }

    private static int lowerBound(long[] sorted, long value) {
        int index = Arrays.binarySearch(sorted, value);
        if (index < 0) {
            return -index - 1;
        }
        while (index > 0 && sorted[index - 1] == value) {
            index--;
        }
        return index;
    }

    private static long minutesBetween(Instant base, Instant instant) {
        return Math.abs(Duration.between(base, instant).toMinutes());
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
