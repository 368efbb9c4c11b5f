package io.nines.query.http;

import static io.nines.query.openapi.Operation.Parameter.path;
import static io.nines.query.openapi.Operation.Parameter.query;

import io.nines.query.openapi.Operation;
import java.time.InstantSource;
import java.util.List;

/** The alerting part of the route table: notification targets, silences, alerts and the notification log. */
final class AlertingRoutes {

    private static final String[] DOCUMENT_TYPES = Bodies.DOCUMENT_TYPES.toArray(String[]::new);
    private static final Operation.Parameter TARGET = path("name", "the target's metadata.name");
    private static final Operation.Parameter TEAM = query("team", "string", "only this team's");

    private AlertingRoutes() {}

    static void add(List<Route> routes, HttpApi.AlertingServices alerting, InstantSource clock) {
        TargetHandlers targets = new TargetHandlers(alerting.targets());
        routes.add(Route.post("/api/v1/notification-targets", Access.EDITOR, "create OpenSLO AlertNotificationTargets"
                + " (own team only for editors); secrets are stored, never returned")
                .accepts(TargetHandlers.TargetDocument.class, DOCUMENT_TYPES).conflicts("a target of that name exists")
                .answers(TargetHandlers.TargetList.class).to(targets::create));
        routes.add(Route.get("/api/v1/notification-targets", Access.VIEWER, "notification targets by name, secrets"
                + " shown as ***").parameters(TEAM, ApiRoutes.LIMIT, ApiRoutes.CURSOR)
                .answers(TargetHandlers.TargetList.class).to(targets::list));
        routes.add(Route.get("/api/v1/notification-targets/{name}", Access.VIEWER, "one notification target, secrets"
                + " shown as ***").parameters(TARGET).answers(TargetHandlers.Target.class).to(targets::get));
        routes.add(Route.put("/api/v1/notification-targets/{name}", Access.EDITOR, "create or replace one"
                + " notification target").parameters(TARGET)
                .accepts(TargetHandlers.TargetDocument.class, DOCUMENT_TYPES)
                .answers(TargetHandlers.Target.class).to(targets::put));
        routes.add(Route.delete("/api/v1/notification-targets/{name}", Access.EDITOR, "delete a notification target")
                .parameters(TARGET).to(targets::delete));

        SilenceHandlers silences = new SilenceHandlers(alerting.silences(), clock);
        routes.add(Route.post("/api/v1/silences", Access.EDITOR, "create a silence or maintenance window (JSON)")
                .accepts(SilenceHandlers.SilenceRequest.class, "application/json")
                .answers(SilenceHandlers.SilenceView.class).to(silences::create));
        routes.add(Route.get("/api/v1/silences", Access.VIEWER, "silences, newest first")
                .parameters(query("state", "string", "active (default: not yet over) or all"), TEAM,
                        ApiRoutes.LIMIT, ApiRoutes.CURSOR)
                .answers(SilenceHandlers.SilenceList.class).to(silences::list));
        routes.add(Route.delete("/api/v1/silences/{id}", Access.EDITOR, "expire a silence now")
                .parameters(path("id", "the silence's id")).to(silences::expire));

        AlertHandlers alerts = new AlertHandlers(alerting.alerts());
        routes.add(Route.get("/api/v1/alerts", Access.VIEWER, "each alert's latest transition, with its burn rates and"
                + " budget consumed").parameters(query("state", "string", "firing (default), resolved, pending or all"),
                query("slo", "string", "only this SLO's"), TEAM, ApiRoutes.LIMIT, ApiRoutes.CURSOR)
                .answers(AlertHandlers.AlertList.class).to(alerts::list));
        routes.add(Route.get("/api/v1/alerts/{slo}/{severity}", Access.VIEWER, "every transition of the alert"
                + " slo/severity, oldest first").parameters(path("slo", "the SLO"), path("severity", "page or ticket"),
                        ApiRoutes.LIMIT, ApiRoutes.CURSOR)
                .answers(AlertHandlers.Timeline.class).to(alerts::timeline));
        routes.add(Route.get("/api/v1/notifications", Access.VIEWER, "delivery attempts and decisions, newest first")
                .parameters(query("alertId", "string", "only this alert's (slo/severity)"),
                        query("target", "string", "only this target's"),
                        ApiRoutes.LIMIT, ApiRoutes.CURSOR)
                .answers(AlertHandlers.NotificationList.class).to(alerts::notifications));
    }
}
