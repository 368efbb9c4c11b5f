package io.nines.query.alerting;

import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.NotificationTarget;
import io.nines.core.slo.NotificationTargetReader;
import io.nines.query.paging.Page;
import io.nines.query.paging.PageRequest;
import io.nines.query.slo.Actor;
import io.nines.query.storage.Sql;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Creates, replaces, deletes and reads notification targets (OpenSLO {@code AlertNotificationTarget}s). Every version
 * is kept; secrets are stored but leave this class only inside {@link NotificationTarget}, whose {@code toString}
 * hides them, and answers are built from {@link TargetVersion#redactedDocument()}.
 */
public final class TargetService {

    private final TargetRepository repository;
    private final InstantSource clock;
    private final NotificationTargetReader reader = new NotificationTargetReader();
    // Versions come from max(version) + 1; one writer at a time per process keeps them unique.
    private final ReentrantLock writes = new ReentrantLock();

    public TargetService(Sql sql, InstantSource clock) {
        this.repository = new TargetRepository(sql);
        this.clock = clock;
    }

    /**
     * Creates every target in {@code text}.
     *
     * @throws InvalidRequestException when a document is invalid; nothing is created then
     * @throws TargetExistsException when a name exists; nothing is created then
     */
    public List<TargetVersion> create(Actor actor, String text) {
        List<NotificationTarget> targets = read(text);
        writes.lock();
        try {
            for (NotificationTarget target : targets) {
                Teams.require(actor, target.team(), "notification target '" + target.name() + "'");
                if (current(target.name()).isPresent()) {
                    throw new TargetExistsException(target.name());
                }
            }
            List<TargetVersion> created = new ArrayList<>();
            for (NotificationTarget target : targets) {
                created.add(write(actor, target, false));
            }
            return created;
        } finally {
            writes.unlock();
        }
    }

    /** A write's outcome: the version now current and whether the target did not exist before. */
    public record Written(TargetVersion version, boolean created) {}

    /** Creates or replaces the target {@code name} with the one document in {@code text}. */
    public Written put(Actor actor, String name, String text) {
        List<NotificationTarget> targets = read(text);
        if (targets.size() != 1) {
            throw invalid("(document)", "must hold exactly one AlertNotificationTarget, held " + targets.size());
        }
        NotificationTarget target = targets.get(0);
        if (!target.name().equals(name)) {
            throw invalid("metadata.name", "must match the name in the path '" + name + "', was '" + target.name()
                    + "'");
        }
        writes.lock();
        try {
            Teams.require(actor, target.team(), "notification target '" + name + "'");
            Optional<TargetVersion> existing = current(name);
            // An editor may neither change another team's target nor take it over by naming their own team.
            existing.ifPresent(v -> Teams.require(actor, v.target().team(), "notification target '" + name + "'"));
            return new Written(write(actor, target, false), existing.isEmpty());
        } finally {
            writes.unlock();
        }
    }

    /** @throws UnknownTargetException when there is no such target */
    public void delete(Actor actor, String name) {
        writes.lock();
        try {
            TargetVersion existing = require(name);
            Teams.require(actor, existing.target().team(), "notification target '" + name + "'");
            write(actor, existing.target(), true);
        } finally {
            writes.unlock();
        }
    }

    /** @throws UnknownTargetException when there is no such target */
    public TargetVersion require(String name) {
        return current(name).orElseThrow(() -> new UnknownTargetException(name));
    }

    /** The current target of that name, if any: what delivery routes to. */
    public Optional<TargetVersion> current(String name) {
        return repository.latest(name).filter(row -> !row.deleted()).map(TargetService::version);
    }

    /** A page of current targets by name, of one team or all. */
    public Page<TargetVersion> list(Optional<String> team, PageRequest page) {
        return page.page(repository.list(team, page.after(1).map(key -> key.text(0)), page.fetch()),
                row -> List.of(row.name())).map(TargetService::version);
    }

    private TargetVersion write(Actor actor, NotificationTarget target, boolean deletion) {
        long version = repository.lastVersion(target.name()) + 1;
        TargetRepository.Row row = new TargetRepository.Row(target.name(), target.team(), target.kind().label(),
                version, TargetCodec.stored(target), deletion, clock.instant(), actor.name());
        repository.insert(row);
        return new TargetVersion(target, version, row.changedAt(), row.changedBy());
    }

    private static TargetVersion version(TargetRepository.Row row) {
        return new TargetVersion(TargetCodec.read(row.document()), row.version(), row.changedAt(), row.changedBy());
    }

    /** The reader speaks of OpenSLO documents in general; answers call it an invalid request, naming the fields. */
    private List<NotificationTarget> read(String text) {
        try {
            return reader.read(text);
        } catch (InvalidSloException e) {
            throw new InvalidRequestException(e.violations());
        }
    }

    private static InvalidRequestException invalid(String path, String rule) {
        return new InvalidRequestException(path, rule);
    }
}
