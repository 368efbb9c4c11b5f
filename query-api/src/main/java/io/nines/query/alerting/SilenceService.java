package io.nines.query.alerting;

import io.nines.core.slo.SloDefinition;
import io.nines.query.paging.Page;
import io.nines.query.paging.PageRequest;
import io.nines.query.slo.Actor;
import io.nines.query.slo.NotYourTeamException;
import io.nines.query.status.BudgetExclusions;
import io.nines.query.storage.Sql;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Silences and maintenance windows: created and expired through the API, consulted by delivery (is this alert
 * silenced at the moment of its transition?) and by SLO status (which minutes do maintenance windows take out of the
 * budget?).
 */
public final class SilenceService implements BudgetExclusions {

    /** The team of a current SLO, if there is one of that name. */
    @FunctionalInterface
    public interface SloTeams {
        Optional<String> teamOf(String slo);
    }

    private final SilenceRepository repository;
    private final InstantSource clock;
    private final SloTeams sloTeams;

    public SilenceService(Sql sql, InstantSource clock, SloTeams sloTeams) {
        this.repository = new SilenceRepository(sql);
        this.clock = clock;
        this.sloTeams = sloTeams;
    }

    /**
     * @throws InvalidRequestException naming every broken rule of {@code body}
     * @throws NotYourTeamException when an editor's silence names another team, or an SLO of another team
     */
    public Silence create(Actor actor, String body) {
        Instant now = clock.instant();
        SilenceRequests.Request request = SilenceRequests.read(body, actor.team(), now);
        request.match().slo().flatMap(sloTeams::teamOf).ifPresent(team -> Teams.require(actor, team,
                "SLO '" + request.match().slo().get() + "'"));
        Silence silence = new Silence(UUID.randomUUID().toString(), request.team(), request.kind(), request.match(),
                request.startsAt(), request.endsAt(), request.weekly(), request.excludeFromBudget(), request.comment(),
                now, actor.name(), Optional.empty());
        repository.insert(silence, 1);
        return silence;
    }

    /**
     * A page of silences newest first: only those not yet over unless {@code all}. Whether a silence is over
     * depends on its schedule, so that filter runs here, over pages of the keyset query read until this page is
     * full or the table ends.
     */
    public Page<Silence> list(boolean all, Optional<String> team, PageRequest page) {
        Instant now = clock.instant();
        Optional<PageRequest.Key> key = page.after(2);
        Optional<Instant> afterCreated = key.map(k -> Instant.ofEpochMilli(k.number(0)));
        String afterId = key.map(k -> k.text(1)).orElse("");
        List<Silence> matching = new ArrayList<>();
        while (matching.size() < page.fetch()) {
            List<Silence> batch = repository.page(team, afterCreated, afterId, page.fetch());
            batch.stream().filter(s -> all || !s.over(now)).forEach(matching::add);
            if (batch.size() < page.fetch()) {
                break;
            }
            Silence last = batch.get(batch.size() - 1);
            afterCreated = Optional.of(last.createdAt());
            afterId = last.id();
        }
        return page.page(matching.size() > page.fetch() ? matching.subList(0, page.fetch()) : matching,
                s -> List.of(Long.toString(s.createdAt().toEpochMilli()), s.id()));
    }

    /**
     * Ends a silence now; expiring one that is over already changes nothing.
     *
     * @throws UnknownSilenceException when there is no silence with that id
     */
    public void expire(Actor actor, String id) {
        Silence silence = repository.find(id).orElseThrow(() -> new UnknownSilenceException(id));
        silence.team().ifPresentOrElse(team -> Teams.require(actor, team, "silence '" + id + "'"),
                () -> Teams.require(actor, "", "silence '" + id + "' (of every team)"));
        Instant now = clock.instant();
        if (silence.over(now)) {
            return;
        }
        repository.insert(new Silence(silence.id(), silence.team(), silence.kind(), silence.match(),
                silence.startsAt(), silence.endsAt(), silence.weekly(), silence.excludeFromBudget(), silence.comment(),
                silence.createdAt(), silence.createdBy(), Optional.of(now)), now.toEpochMilli());
    }

    /** The first silence that mutes an alert of ({@code slo}, {@code service}, {@code team}) at {@code at}. */
    public Optional<Silence> silencing(String slo, String service, String team, Instant at) {
        return repository.all().stream()
                .filter(s -> s.matches(slo, service, team) && s.activeAt(at))
                .findFirst();
    }

    @Override
    public List<BudgetExclusions.Range> excluded(SloDefinition slo, Instant from, Instant to) {
        return excluded(repository.all(), slo, from, to);
    }

    /** The silences read once, so a page of 500 statuses costs one read of them, not 500. */
    @Override
    public BudgetExclusions snapshot() {
        List<Silence> silences = repository.all();
        return (slo, from, to) -> excluded(silences, slo, from, to);
    }

    private static List<BudgetExclusions.Range> excluded(List<Silence> silences, SloDefinition slo, Instant from,
            Instant to) {
        List<BudgetExclusions.Range> ranges = new ArrayList<>();
        for (Silence silence : silences) {
            if (silence.excludeFromBudget() && silence.matches(slo.name(), slo.service(), slo.team())) {
                silence.activeWithin(from, to).forEach(r -> ranges.add(new BudgetExclusions.Range(r.from(), r.to())));
            }
        }
        return ranges;
    }
}
