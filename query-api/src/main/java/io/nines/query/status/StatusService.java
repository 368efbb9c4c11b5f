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

    /**
     * Which calendar period a status is about: the current one ({@code back} 0), the previous one (1), or
     * {@code back} periods before the current one, at most {@link #MAX_BACK}.
     */
    public record Period(int back) {
        /** How far back a status may look: 100 periods is over 8 years of months, and one query whatever the value. */
        public static final int MAX_BACK = 100;
        public static final Period CURRENT = new Period(0);
        public static final Period PREVIOUS = new Period(1);

        public Period {
            if (back < 0 || back > MAX_BACK) {
                throw new IllegalArgumentException("period back must be within [0, " + MAX_BACK + "], was " + back);
            }
        }
    }

    public static final int DEFAULT_GROUPS = 10;
    public static final int MAX_GROUPS = 10_000;

    private final MinuteRepository minutes;
    private final PageMinutes pageMinutes;
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
        this.pageMinutes = new PageMinutes(sql);
        this.slos = slos;
        this.clock = clock;
        this.streamJob = streamJob;
        this.exclusions = exclusions;
    }

    /**
     * The status now (current period), or at the end of an earlier calendar period.
     *
     * @param groupLimit how many groups of a grouped SLO to report, those with the least budget left first
     */
    public SloStatus status(String name, Period period, int groupLimit) {
        SloDefinition slo = slos.require(name).definition();
        requireGroupLimit(groupLimit);
        Instant asOf = asOf(slo, period, clock.instant());
        Evaluation at = Evaluation.of(slo, asOf, lookbackStarts(asOf));
        List<MinuteRepository.Minutes> excluded = ExcludedMinutes.merge(
                exclusions.excluded(slo, at.earliest(), at.range().to()));
        Instant countsFrom = slos.countsFrom(List.of(name)).get(name);
        Map<String, MinuteRepository.Totals> totals = minutes.totals(name, countsFrom, at.range(), at.lookbackStarts(),
                slo.groupBy().isPresent(), excluded);
        boolean slices = slo.budgeting().method() == Budgeting.Method.TIMESLICES;
        Map<String, Long> badSlices = slices
                ? minutes.badSlices(name, countsFrom, sliceRange(slo, at.window()), sliceLength(slo),
                        sliceTarget(slo), false)
                : Map.of();
        Map<String, Long> badGroupSlices = slices && slo.groupBy().isPresent()
                ? minutes.badSlices(name, countsFrom, sliceRange(slo, at.window()), sliceLength(slo),
                        sliceTarget(slo), true)
                : Map.of();
        return status(at, period, totals, badSlices.getOrDefault("", 0L), badGroupSlices,
                minutes.finalUntil(streamJob), excluded, groupLimit);
    }

    /**
     * The current status of every SLO of {@code page}, in its order, each equal to what {@link #status} answers for
     * it at the same instant, from a constant number of queries whatever the page's size: one for every SLO's window
     * and lookback sums, up to two for timeslice SLOs' bad slices, one for how far minutes are final (and one for the
     * maintenance windows).
     */
    public List<SloStatus> statuses(List<SloDefinition> page, int groupLimit) {
        requireGroupLimit(groupLimit);
        Instant asOf = clock.instant();
        Map<String, Instant> lookbackStarts = lookbackStarts(asOf);
        BudgetExclusions snapshot = exclusions.snapshot();
        List<Evaluation> evaluations = new ArrayList<>();
        List<List<MinuteRepository.Minutes>> excluded = new ArrayList<>();
        List<PageMinutes.Plan> plans = new ArrayList<>();
        List<PageMinutes.SlicePlan> slicePlans = new ArrayList<>();
        List<PageMinutes.SlicePlan> groupSlicePlans = new ArrayList<>();
        Map<String, Instant> countsFrom = slos.countsFrom(page.stream().map(SloDefinition::name).toList());
        for (SloDefinition slo : page) {
            Evaluation at = Evaluation.of(slo, asOf, lookbackStarts);
            List<MinuteRepository.Minutes> skipped = ExcludedMinutes.merge(
                    snapshot.excluded(slo, at.earliest(), at.range().to()));
            evaluations.add(at);
            excluded.add(skipped);
            plans.add(new PageMinutes.Plan(slo.name(), countsFrom.get(slo.name()), at.range().from(), at.earliest(),
                    skipped));
            if (slo.budgeting().method() == Budgeting.Method.TIMESLICES) {
                PageMinutes.SlicePlan plan = new PageMinutes.SlicePlan(slo.name(), countsFrom.get(slo.name()),
                        sliceRange(slo, at.window()), sliceLength(slo), sliceTarget(slo));
                slicePlans.add(plan);
                if (slo.groupBy().isPresent()) {
                    groupSlicePlans.add(plan);
                }
            }
        }
        Instant end = BudgetWindow.ceil(asOf);
        Map<String, Map<String, MinuteRepository.Totals>> totals = pageMinutes.totals(plans, lookbackStarts, end);
        Map<String, Map<String, Long>> badSlices = pageMinutes.badSlices(slicePlans, false);
        Map<String, Map<String, Long>> badGroupSlices = pageMinutes.badSlices(groupSlicePlans, true);
        Optional<Instant> finalUntil = page.isEmpty() ? Optional.empty() : minutes.finalUntil(streamJob);
        List<SloStatus> statuses = new ArrayList<>(page.size());
        for (int i = 0; i < page.size(); i++) {
            Evaluation at = evaluations.get(i);
            String name = at.slo().name();
            Map<String, MinuteRepository.Totals> sloTotals = totals.getOrDefault(name, Map.of());
            statuses.add(status(at, Period.CURRENT, at.slo().groupBy().isPresent() ? sloTotals
                    : Map.of("", sum(sloTotals.values(), lookbackStarts.keySet())),
                    badSlices.getOrDefault(name, Map.of()).getOrDefault("", 0L),
                    badGroupSlices.getOrDefault(name, Map.of()), finalUntil, excluded.get(i), groupLimit));
        }
        return statuses;
    }

    /** Where one SLO is evaluated: its window at {@code asOf}, the lookbacks, and the earliest minute either needs. */
    private record Evaluation(SloDefinition slo, Instant asOf, BudgetWindow window, MinuteRepository.Minutes range,
            Map<String, Instant> lookbackStarts, Instant earliest) {
        static Evaluation of(SloDefinition slo, Instant asOf, Map<String, Instant> lookbackStarts) {
            BudgetWindow window = BudgetWindow.endingAt(slo, asOf);
            MinuteRepository.Minutes range = window.minutes();
            Instant earliest = lookbackStarts.values().stream()
                    .reduce(range.from(), (a, b) -> a.isBefore(b) ? a : b);
            return new Evaluation(slo, asOf, window, range, lookbackStarts, earliest);
        }
    }

    /** The figures of one SLO from its sums, whichever way they were read. */
    private SloStatus status(Evaluation at, Period period, Map<String, MinuteRepository.Totals> totals,
            long badSlices, Map<String, Long> badGroupSlices, Optional<Instant> finalUntil,
            List<MinuteRepository.Minutes> excluded, int groupLimit) {
        SloDefinition slo = at.slo();
        MinuteRepository.Totals overall = sum(totals.values(), at.lookbackStarts().keySet());
        ErrorBudget budget = budget(slo, at.window(), overall.window(), badSlices);
        Map<String, Double> burnRates = burnRates(slo, overall);
        Optional<Instant> exhaustion = period.back() > 0 ? Optional.empty()
                : ErrorBudget.timeToExhaustion(budget.remaining(), at.window().length(), burnRates.get("1h"))
                        .map(at.asOf()::plus);
        // Not the raw watermark: a late event within the allowed lateness re-emits a minute the watermark has passed.
        boolean provisional = finalUntil.map(mark -> at.range().to().isAfter(mark)).orElse(true);
        Optional<List<SloStatus.GroupStatus>> groups = slo.groupBy().isPresent()
                ? Optional.of(groups(slo, at.window(), totals, badGroupSlices, groupLimit))
                : Optional.empty();
        Optional<SloStatus.GroupCap> groupCap = slo.groupBy().map(groupBy -> new SloStatus.GroupCap(
                groupBy.attribute(), groupBy.maxGroups(), Optional.ofNullable(totals.get(SloDefinition.GroupBy.OVERFLOW))
                        .map(overflow -> overflow.window().total()).orElse(0L)));
        return new SloStatus(slo, at.asOf(), at.window().period(), overall.window().good(), overall.window().total(),
                budget, burnRates, exhaustion, provisional, groups, ExcludedMinutes.within(excluded, at.range()),
                groupCap);
    }

    private static Map<String, Instant> lookbackStarts(Instant asOf) {
        Map<String, Instant> starts = new LinkedHashMap<>();
        ErrorBudget.BURN_RATE_LOOKBACKS.forEach((label, length) ->
                starts.put(label, BudgetWindow.floor(asOf.minus(length))));
        return starts;
    }

    private static void requireGroupLimit(int groupLimit) {
        if (groupLimit < 1 || groupLimit > MAX_GROUPS) {
            throw new InvalidQueryException("groups", "groups must be within [1, " + MAX_GROUPS + "], was " + groupLimit);
        }
    }

    /** Now, or for a period {@code back} periods before the current one its end, where the period after it starts. */
    private static Instant asOf(SloDefinition slo, Period period, Instant now) {
        if (period.back() == 0) {
            return now;
        }
        if (!(slo.window() instanceof TimeWindow.Calendar calendar)) {
            throw new InvalidQueryException("period", "period=previous needs a calendar window; SLO '" + slo.name()
                    + "' rolls over " + slo.window().label());
        }
        Instant end = now;
        for (int i = 0; i < period.back(); i++) {
            end = CalendarPeriod.containing(calendar, end.minusMillis(1)).start();
        }
        return end;
    }

    private static List<SloStatus.GroupStatus> groups(SloDefinition slo, BudgetWindow window,
            Map<String, MinuteRepository.Totals> totals, Map<String, Long> badSlices, int limit) {
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
