package io.nines.query.delivery;

import io.nines.core.alerting.AlertTransition;
import io.nines.core.alerting.Severity;
import io.nines.core.slo.NotificationTarget;
import io.nines.query.alerting.Silence;
import io.nines.query.alerting.SilenceService;
import io.nines.query.alerting.TargetService;
import io.nines.query.alerting.TargetVersion;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Decides where a transition goes and starts its deliveries. For each target the SLO names: a transition already
 * settled for it is skipped silently (a replay); a missing target, one of another team, or one that does not take
 * the alert's severity is recorded as {@code skipped}; a silenced alert is recorded as {@code silenced}; the rest is
 * delivered. Deliveries of one alert to one target run one after the other, so a resolve never overtakes its
 * trigger while the trigger is being retried.
 */
final class Router {

    private final TargetService targets;
    private final SilenceService silences;
    private final AttemptLog log;
    private final TargetLanes lanes;
    private final InstantSource clock;
    private final Executor routing;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    Router(TargetService targets, SilenceService silences, AttemptLog log, TargetLanes lanes, InstantSource clock,
            Executor routing) {
        this.targets = targets;
        this.silences = silences;
        this.log = log;
        this.lanes = lanes;
        this.clock = clock;
        this.routing = routing;
    }

    /** Completes once every target's outcome is recorded; exceptionally when one could not be. */
    CompletableFuture<Void> route(AlertTransition transition) {
        if (transition.state() == AlertTransition.State.PENDING) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> deliveries = new ArrayList<>();
        for (String name : new LinkedHashSet<>(transition.notificationTargets())) {
            deliveries.add(after(transition.alertId() + "|" + name, () -> toTarget(transition, name)));
        }
        return CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> after(String key, Supplier<CompletableFuture<Void>> next) {
        CompletableFuture<Void> tail = tails.compute(key, (k, previous) ->
                (previous == null ? CompletableFuture.<Void>completedFuture(null) : previous)
                        .handle((ignored, failure) -> null)
                        .thenComposeAsync(ignored -> next.get(), routing));
        tail.whenComplete((ignored, failure) -> tails.remove(key, tail));
        return tail;
    }

    private CompletableFuture<Void> toTarget(AlertTransition transition, String name) {
        if (log.settled(transition, name)) {
            return CompletableFuture.completedFuture(null);
        }
        Optional<TargetVersion> found = targets.current(name);
        if (found.isEmpty()) {
            return skip(transition, name, "", "no notification target named '" + name + "' exists");
        }
        NotificationTarget target = found.get().target();
        if (!target.team().equals(transition.team())) {
            return skip(transition, name, target.kind().label(), "the target belongs to team '" + target.team()
                    + "', the alert to team '" + transition.team() + "'");
        }
        if (!target.takes(transition.severity())) {
            return skip(transition, name, target.kind().label(), "the target takes " + target.severities().stream()
                    .map(Severity::label).toList() + " alerts, not " + transition.severity().label());
        }
        Optional<Silence> silence = silences.silencing(transition.slo(), transition.service(), transition.team(),
                transition.at());
        if (silence.isPresent()) {
            return settle(transition, name, target.kind().label(), AttemptLog.Outcome.SILENCED,
                    silence.get().kind().label() + " " + silence.get().id());
        }
        return lanes.deliver(target, transition).toCompletableFuture();
    }

    private CompletableFuture<Void> skip(AlertTransition transition, String name, String kind, String why) {
        return settle(transition, name, kind, AttemptLog.Outcome.SKIPPED, why);
    }

    private CompletableFuture<Void> settle(AlertTransition transition, String name, String kind,
            AttemptLog.Outcome outcome, String why) {
        log.record(new AttemptLog.Entry(transition, name, kind, 0, clock.instant(), outcome, 0, why, 0));
        return CompletableFuture.completedFuture(null);
    }
}
