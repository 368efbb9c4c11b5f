package io.nines.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.nines.core.slo.ErrorBudget;
import io.nines.core.slo.SloDefinition;
import io.nines.query.latency.InvalidQueryException;
import io.nines.query.paging.Page;
import io.nines.query.resilience.StaleCache;
import io.nines.query.slo.SloListQuery;
import io.nines.query.slo.SloService;
import io.nines.query.slo.SloVersion;
import io.nines.query.status.HistoryQuery;
import io.nines.query.status.HistoryService;
import io.nines.query.status.SloHistory;
import io.nines.query.status.SloStatus;
import io.nines.query.status.StatusService;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /api/v1/slos/{name}/status} and {@code /history}: budgets and burn rates as JSON. */
final class SloStatusHandlers {

    record Budget(double total, long consumed, double remaining) {}

    record Group(String group, Double sli, long good, long total, Budget errorBudget, Map<String, Double> burnRates) {}

    record Status(String name, String team, String service, double target, String window, String budgetingMethod,
            @JsonInclude(JsonInclude.Include.NON_NULL) String periodStart,
            @JsonInclude(JsonInclude.Include.NON_NULL) String periodEnd,
            String asOf, Double sli, long good, long total, Budget errorBudget, Map<String, Double> burnRates,
            String exhaustion, boolean provisional,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Group> groups,
            @JsonInclude(JsonInclude.Include.NON_NULL) GroupCap groupCap,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean stale,
            @JsonInclude(JsonInclude.Include.NON_NULL) MaintenanceExcluded maintenanceExcluded) {
        /** The last good answer, served while ClickHouse fails. */
        Status asStale() {
            return new Status(name, team, service, target, window, budgetingMethod, periodStart, periodEnd, asOf, sli,
                    good, total, errorBudget, burnRates, exhaustion, provisional, groups, groupCap, true,
                    maintenanceExcluded);
        }
    }

    /**
     * A grouped SLO's cardinality cap over the window: {@code capped} when values beyond the first
     * {@code maxGroups} were seen, their events counted in the group {@code __other__}; {@code message} says so.
     */
    record GroupCap(String attribute, int maxGroups, boolean capped, long eventsOverCap,
            @JsonInclude(JsonInclude.Include.NON_NULL) String message) {}

    /** Minutes of the window that maintenance windows took out of the budget. */
    record MaintenanceExcluded(long minutes) {}

    record Point(String t, Double sli, long good, long total, double budgetRemaining, double burnRate) {}

    record History(String name, String window, String from, String to, long step, List<Point> points) {}

    /**
     * A page of statuses, by SLO name; {@code nextCursor} as in the SLO list. While ClickHouse fails, the last good
     * page of the same parameters, each status and the page marked {@code stale}.
     */
    record StatusList(List<Status> statuses, String nextCursor,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean stale) {
        StatusList asStale() {
            return new StatusList(statuses.stream().map(Status::asStale).toList(), nextCursor, true);
        }
    }

    /** Statuses per batch request; a page is one set of queries whatever its size, so this bounds the answer's size. */
    static final int MAX_BATCH = 500;

    private static final Pattern PREVIOUS_N = Pattern.compile("previous:(\\d{1,4})");

    /** Fields that change with every computation, even when the figures do not. */
    private static final Set<String> CLOCK_FIELDS = Set.of("asOf", "exhaustion");

    private final SloService slos;
    private final StatusService status;
    private final HistoryService history;
    private final StaleCache<Answers.ReadKey, Status> cache;
    private final StaleCache<Answers.ReadKey, StatusList> pages;

    SloStatusHandlers(SloService slos, StatusService status, HistoryService history,
            StaleCache<Answers.ReadKey, Status> cache, StaleCache<Answers.ReadKey, StatusList> pages) {
        this.slos = slos;
        this.status = status;
        this.history = history;
        this.cache = cache;
        this.pages = pages;
    }

    void status(Context ctx) {
        String groups = ctx.queryParam("groups");
        String name = ctx.pathParam("name");
        StatusService.Period period = period(ctx.queryParam("period"));
        int groupLimit = Params.present(groups) ? count("groups", groups) : StatusService.DEFAULT_GROUPS;
        StaleCache.Answer<Status> answer = cache.get(Answers.ReadKey.of(ctx),
                () -> status(status.status(name, period, groupLimit)));
        Answers.cacheHeaders(ctx, answer);
        Answers.json(ctx, answer.stale() ? answer.value().asStale() : answer.value(), CLOCK_FIELDS);
    }

    /**
     * {@code /api/v1/slo-statuses}: the status of every SLO of a page of the SLO list (at most {@link #MAX_BATCH}),
     * each the same object as {@code /slos/{name}/status} answers, all computed from one set of ClickHouse queries
     * ({@link StatusService#statuses}). The whole page is one cached answer, keyed by its parameters (filters,
     * {@code limit}, {@code cursor}, {@code groups}): while ClickHouse fails, the last good page of the same
     * parameters is served stale, as the overview page reads it on its first load; with none, 503.
     */
    void statuses(Context ctx) {
        String groups = ctx.queryParam("groups");
        int groupLimit = Params.present(groups) ? count("groups", groups) : StatusService.DEFAULT_GROUPS;
        // Validated before the cache: a bad parameter is a 400 whether or not ClickHouse answers.
        SloListQuery query = new SloListQuery(Params.optional(ctx.queryParam("team")),
                Params.optional(ctx.queryParam("service")), Params.page(ctx, MAX_BATCH));
        StaleCache.Answer<StatusList> answer = pages.get(Answers.ReadKey.of(ctx), () -> {
            Page<SloVersion> page = slos.list(query);
            List<Status> statuses = status.statuses(page.items().stream().map(SloVersion::definition).toList(),
                    groupLimit).stream().map(SloStatusHandlers::status).toList();
            return new StatusList(statuses, page.next(), null);
        });
        Answers.cacheHeaders(ctx, answer);
        Answers.json(ctx, answer.stale() ? answer.value().asStale() : answer.value(), CLOCK_FIELDS);
    }

    private static Status status(SloStatus result) {
        SloDefinition slo = result.definition();
        return new Status(slo.name(), slo.team(), slo.service(), slo.target(), slo.window().label(),
                SloHandlers.method(slo),
                result.period().map(p -> p.start().toString()).orElse(null),
                result.period().map(p -> p.end().toString()).orElse(null),
                result.asOf().toString(), value(result.sli()), result.good(), result.total(), budget(result.budget()),
                result.burnRates(), result.exhaustion().map(Instant::toString).orElse(null), result.provisional(),
                result.groups().map(list -> list.stream().map(SloStatusHandlers::group).toList()).orElse(null),
                result.groupCap().map(cap -> new GroupCap(cap.attribute(), cap.maxGroups(), cap.capped(),
                        cap.eventsOverCap(), cap.message().orElse(null))).orElse(null), null,
                result.maintenanceExcludedMinutes() > 0 ? new MaintenanceExcluded(result.maintenanceExcludedMinutes())
                        : null);
    }

    void history(Context ctx) {
        String step = ctx.queryParam("step");
        SloHistory result = history.history(new HistoryQuery(ctx.pathParam("name"),
                Params.optional(ctx.queryParam("from")).map(raw -> Params.instant("from", raw)),
                Params.optional(ctx.queryParam("to")).map(raw -> Params.instant("to", raw)),
                Params.present(step) ? java.util.Optional.of(Params.duration("step", step))
                        : java.util.Optional.empty()));
        Answers.json(ctx, new History(result.definition().name(), result.definition().window().label(),
                result.from().toString(), result.to().toString(), result.step().toMillis(),
                result.points().stream().map(p -> new Point(p.t().toString(), value(p.sli()), p.good(), p.total(),
                        p.budgetRemaining(), p.burnRate())).toList()));
    }

    /** {@code current}, {@code previous} (= {@code previous:1}) or {@code previous:N}, N periods before the current. */
    private static StatusService.Period period(String raw) {
        if (!Params.present(raw)) {
            return StatusService.Period.CURRENT;
        }
        String value = raw.strip().toLowerCase(Locale.ROOT);
        if (value.equals("current")) {
            return StatusService.Period.CURRENT;
        }
        if (value.equals("previous")) {
            return StatusService.Period.PREVIOUS;
        }
        Matcher m = PREVIOUS_N.matcher(value);
        if (m.matches()) {
            int back = Integer.parseInt(m.group(1));
            if (back >= 1 && back <= StatusService.Period.MAX_BACK) {
                return new StatusService.Period(back);
            }
        }
        throw new InvalidQueryException("period", "period must be current, previous or previous:N with N within [1, "
                + StatusService.Period.MAX_BACK + "], was '" + Params.echo(raw) + "'");
    }

    private static int count(String parameter, String raw) {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new InvalidQueryException(parameter, parameter + " must be an integer, was '" + Params.echo(raw)
                    + "'");
        }
    }

    private static Group group(SloStatus.GroupStatus group) {
        return new Group(group.group(), value(group.sli()), group.good(), group.total(), budget(group.budget()),
                group.burnRates());
    }

    private static Budget budget(ErrorBudget budget) {
        return new Budget(budget.total(), budget.consumed(), budget.remaining());
    }

    private static Double value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
