package io.nines.query.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.Context;
import io.nines.query.alerting.AlertEvent;
import io.nines.query.alerting.AlertQuery;
import io.nines.query.alerting.AlertService;
import io.nines.query.alerting.NotificationEntry;
import io.nines.query.paging.Page;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/alerts...} and {@code /api/v1/notifications}: what fired, when, and who was told. */
final class AlertHandlers {

    record Alert(String alertId, String slo, String team, String service, String severity, String state,
            long sequence, String incidentId, String at, String rule, Map<String, Double> burnRates,
            double budgetConsumed, @JsonInclude(JsonInclude.Include.NON_NULL) Latency latency) {}

    /** What a latency rule observed; present only on transitions of latency rules. */
    record Latency(double quantile, long lookbackMillis, double thresholdMillis, double observedMillis, long spans) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AlertList(List<Alert> alerts, String nextCursor) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Timeline(String alertId, List<Alert> transitions, String nextCursor) {}

    record Notification(String alertId, long sequence, String incidentId, String state, String slo, String team,
            String severity, String target, String targetKind, int attempt, String at, String outcome,
            int statusCode, String error, long latencyMs) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NotificationList(List<Notification> notifications, String nextCursor) {}

    private final AlertService alerts;

    AlertHandlers(AlertService alerts) {
        this.alerts = alerts;
    }

    void list(Context ctx) {
        AlertQuery query = new AlertQuery(ctx.queryParamAsClass("state", String.class).getOrDefault("firing"),
                Params.optional(ctx.queryParam("slo")), Params.optional(ctx.queryParam("team")));
        Page<AlertEvent> page = alerts.alerts(query, Params.page(ctx));
        Answers.json(ctx, new AlertList(page.items().stream().map(AlertHandlers::alert).toList(), page.next()));
    }

    void timeline(Context ctx) {
        String alertId = ctx.pathParam("slo") + "/" + ctx.pathParam("severity");
        Page<AlertEvent> page = alerts.timeline(alertId, Params.page(ctx));
        Answers.json(ctx, new Timeline(alertId, page.items().stream().map(AlertHandlers::alert).toList(),
                page.next()));
    }

    void notifications(Context ctx) {
        Page<NotificationEntry> page = alerts.notifications(Params.optional(ctx.queryParam("alertId")),
                Params.optional(ctx.queryParam("target")), Params.page(ctx));
        Answers.json(ctx, new NotificationList(page.items().stream().map(AlertHandlers::notification).toList(),
                page.next()));
    }

    private static Alert alert(AlertEvent e) {
        return new Alert(e.alertId(), e.slo(), e.team(), e.service(), e.severity(), e.state(), e.sequence(),
                e.incidentId(), e.at().toString(), e.rule(), e.burnRates(), e.budgetConsumed(),
                e.latency().map(seen -> new Latency(seen.quantile(), seen.lookback().toMillis(), seen.thresholdMillis(),
                        seen.observedMillis(), seen.spans())).orElse(null));
    }

    private static Notification notification(NotificationEntry n) {
        return new Notification(n.alertId(), n.sequence(), n.incidentId(), n.state(), n.slo(), n.team(),
                n.severity(), n.target(), n.targetKind(), n.attempt(), n.at().toString(), n.outcome(), n.statusCode(),
                n.error(), n.latencyMillis());
    }
}
