package io.nines.query.status;

import io.nines.core.slo.Budgeting;
import io.nines.core.slo.CalendarPeriod;
import io.nines.core.slo.ErrorBudget;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.TimeWindow;
import io.nines.query.latency.InvalidQueryException;
import io.nines.query.slo.SloService;
import io.nines.query.storage.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Computes SLO status from the stored minutes with the budget arithmetic of {@link ErrorBudget}. */
public final class StatusService {

    /** Which calendar period a status is about. */
    public enum Period { CURRENT, PREVIOUS }

    public static final int DEFAULT_GROUPS = 10;
    public static final int MAX_GROUPS = 10_000;

    private final MinuteRepository minutes;
    private final SloService slos;
    private final InstantSource clock;
    private final String streamJob;
    private final BudgetExclusions exclusions;

    public StatusService(Sql sql, SloService slos, InstantSource clock, String streamJob) {
        this(sql, slos, clock, streamJob, BudgetExclusions.none());
    }

    /** @param exclusions maintenance windows whose minutes the budget skips */
    public StatusService(Sql sql, SloService slos, InstantSource clock, String streamJob,
            BudgetExclusions exclusions) {
        this.minutes = new MinuteRepository(sql);
        this.slos = slos;
        this.clock = clock;
        this.streamJob = streamJob;
        this.exclusions = exclusions;
    }

    /**
     * The status now (current period), or at the end of the previous calendar period.
     *
     * @param groupLimit how many groups of a grouped SLO to report, those with the least budget left first
     */
    public SloStatus status(String name, Period period, int groupLimit) {
        SloDefinition slo = slos.require(name).definition();
        if (groupLimit < 1 || groupLimit > MAX_GROUPS) {
            throw new InvalidQueryException("groups", "groups must be within [1, " + MAX_GROUPS + "], was " + groupLimit);
        }
        Instant asOf = asOf(slo, period, clock.instant());
        BudgetWindow window = BudgetWindow.endingAt(slo, asOf);
        MinuteRepository.Minutes range = window.minutes();
        Map<String, Instant> lookbackStarts = new LinkedHashMap<>();
        ErrorBudget.BURN_RATE_LOOKBACKS.forEach((label, length) ->
                lookbackStarts.put(label, BudgetWindow.floor(asOf.minus(length))));
        boolean grouped = slo.groupBy().isPresent();
        Instant earliest = lookbackStarts.values().stream().reduce(range.from(), (a, b) -> a.isBefore(b) ? a : b);
        List<MinuteRepository.Minutes> excluded = ExcludedMinutes.merge(exclusions.excluded(slo, earliest, range.to()));
        Map<String, MinuteRepository.Totals> totals = minutes.totals(name, range, lookbackStarts, grouped, excluded);
        Map<String, Long> badSlices = slo.budgeting().method() == Budgeting.Method.TIMESLICES
                ? minutes.badSlices(name, sliceRange(slo, window), sliceLength(slo), sliceTarget(slo), false)
                : Map.of();

        MinuteRepository.Totals overall = sum(totals.values(), lookbackStarts.keySet());
        ErrorBudget budget = budget(slo, window, overall.window(), badSlices.getOrDefault("", 0L));
        Map<String, Double> burnRates = burnRates(slo, overall);
        Optional<Instant> exhaustion = period == Period.PREVIOUS ? Optional.empty()
                : ErrorBudget.timeToExhaustion(budget.remaining(), window.length(), burnRates.get("1h"))
                        .map(asOf::plus);
        Optional<Instant> watermark = minutes.watermark(streamJob);
        boolean provisional = watermark.map(mark -> range.to().isAfter(mark)).orElse(true);
        Optional<List<SloStatus.GroupStatus>> groups = grouped
                ? Optional.of(groups(slo, window, totals, groupLimit))
                : Optional.empty();
        return new SloStatus(slo, asOf, window.period(), overall.window().good(), overall.window().total(), budget,
                burnRates, exhaustion, provisional, groups, ExcludedMinutes.within(excluded, range));
    }

    /** Now, or for the previous period its end: the start of the period holding now. */
    private static Instant asOf(SloDefinition slo, Period period, Instant now) {
        if (period == Period.CURRENT) {
            return now;
        }
        if (!(slo.window() instanceof TimeWindow.Calendar calendar)) {
            throw new InvalidQueryException("period", "period=previous needs a calendar window; SLO '" + slo.name()
                    + "' rolls over " + slo.window().label());
        }
        return CalendarPeriod.containing(calendar, now.minusMillis(1)).start();
    }

    private List<SloStatus.GroupStatus> groups(SloDefinition slo, BudgetWindow window,
            Map<String, MinuteRepository.Totals> totals, int limit) {
        Map<String, Long> badSlices = slo.budgeting().method() == Budgeting.Method.TIMESLICES
                ? minutes.badSlices(slo.name(), sliceRange(slo, window), sliceLength(slo), sliceTarget(slo), true)
                : Map.of();
        List<SloStatus.GroupStatus> groups = new ArrayList<>();
        totals.forEach((group, sums) -> groups.add(new SloStatus.GroupStatus(group, sums.window().good(),
                sums.window().total(), budget(slo, window, sums.window(), badSlices.getOrDefault(group, 0L)),
                burnRates(slo, sums))));
        return groups.stream()
                .filter(group -> group.total() > 0)
                .sorted(Comparator.comparingDouble((SloStatus.GroupStatus group) -> group.budget().remaining())
                        .thenComparing(group -> -group.budget().consumed())
                        .thenComparing(SloStatus.GroupStatus::group))
                .limit(limit)
                .toList();
    }

    static ErrorBudget budget(SloDefinition slo, BudgetWindow window, MinuteRepository.Sums sums, long badSlices) {
        if (slo.budgeting().method() == Budgeting.Method.TIMESLICES) {
            return ErrorBudget.timeslices(slo.target(), ErrorBudget.slicesIn(window.length(), sliceLength(slo)),
                    badSlices);
        }
        return ErrorBudget.occurrences(slo.target(), sums.good(), sums.total());
    }

    /** Slices that start within the window; one that began before it belongs to the window before. */
    static MinuteRepository.Minutes sliceRange(SloDefinition slo, BudgetWindow window) {
        MinuteRepository.Minutes range = window.minutes();
        Instant first = ErrorBudget.firstSliceStart(range.from(), sliceLength(slo));
        return new MinuteRepository.Minutes(first.isAfter(range.to()) ? range.to() : first, range.to());
    }

    static Duration sliceLength(SloDefinition slo) {
        return slo.budgeting().sliceLength().orElseThrow();
    }

    static double sliceTarget(SloDefinition slo) {
        return slo.budgeting().sliceTarget().orElseThrow();
    }

    private static Map<String, Double> burnRates(SloDefinition slo, MinuteRepository.Totals totals) {
        Map<String, Double> rates = new LinkedHashMap<>();
        totals.lookbacks().forEach((label, sums) ->
                rates.put(label, ErrorBudget.burnRate(slo.target(), sums.good(), sums.total())));
        return rates;
    }

    private static MinuteRepository.Totals sum(Iterable<MinuteRepository.Totals> all, Iterable<String> labels) {
        MinuteRepository.Sums window = MinuteRepository.Sums.ZERO;
        Map<String, MinuteRepository.Sums> lookbacks = new LinkedHashMap<>();
        labels.forEach(label -> lookbacks.put(label, MinuteRepository.Sums.ZERO));
        for (MinuteRepository.Totals totals : all) {
            window = window.plus(totals.window());
            totals.lookbacks().forEach((label, sums) -> lookbacks.merge(label, sums, MinuteRepository.Sums::plus));
        }
        return new MinuteRepository.Totals(window, lookbacks);
    }
}
