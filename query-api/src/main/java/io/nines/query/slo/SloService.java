package io.nines.query.slo;

import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.OpenSloReader;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.SloRecord;
import io.nines.query.paging.Page;
import io.nines.query.paging.PageRequest;
import io.nines.query.storage.Sql;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Creates, replaces, deletes and reads SLO definitions.
 *
 * <p>A change is written in three steps: the new version row (unpublished), the Kafka record, and the same row
 * marked published. Only published rows are current, so when Kafka fails the change answers 503 and leaves
 * the previous version current; its version number stays used, so the stream never sees two documents under
 * one version. If ClickHouse fails after Kafka acknowledged, the stream already runs the new version while
 * this API still shows the old one until the change is retried, which publishes the same document again.
 */
public final class SloService {

    /** A write's outcome: the version now current and whether the SLO did not exist before. */
    public record Written(SloVersion version, boolean created) {}

    private final SloRepository repository;
    private final SloPublisher publisher;
    private final InstantSource clock;
    private final SloDocuments documents = new SloDocuments();
    private final OpenSloReader reader = new OpenSloReader();
    // Version numbers come from max(version) + 1; one writer at a time per process keeps them unique.
    private final ReentrantLock writes = new ReentrantLock();

    SloService(SloRepository repository, SloPublisher publisher, InstantSource clock) {
        this.repository = repository;
        this.publisher = publisher;
        this.clock = clock;
    }

    public SloService(Sql sql, SloPublisher publisher, InstantSource clock) {
        this(new SloRepository(sql), publisher, clock);
    }

    /**
     * Creates every SLO in {@code text}, in order.
     *
     * @throws InvalidSloException when any document is invalid: nothing is created then
     * @throws SloExistsException when any name exists: nothing is created then
     * @throws PublishFailedException when Kafka failed: the SLOs before the failing one are created
     */
    public List<SloVersion> create(Actor actor, String text) {
        List<SloDocuments.SloDocument> slos = documents.read(text);
        writes.lock();
        try {
            for (SloDocuments.SloDocument slo : slos) {
                actor.requireTeam(slo.definition().team(), "SLO '" + slo.definition().name() + "'");
            }
            for (SloDocuments.SloDocument slo : slos) {
                current(slo.definition().name()).ifPresent(existing -> {
                    throw new SloExistsException(existing.name(), existing.version());
                });
            }
            List<SloVersion> created = new ArrayList<>();
            for (SloDocuments.SloDocument slo : slos) {
                created.add(write(actor, slo, false));
            }
            return created;
        } finally {
            writes.unlock();
        }
    }

    /**
     * Creates or replaces the SLO {@code name} with the one document in {@code text}.
     *
     * @throws InvalidSloException when the document is invalid, or not exactly one SLO named {@code name}
     */
    public Written put(Actor actor, String name, String text) {
        List<SloDocuments.SloDocument> slos = documents.read(text);
        if (slos.size() != 1) {
            throw invalid("(document)", "must hold exactly one SLO for PUT /api/v1/slos/" + name + ", held "
                    + slos.size());
        }
        SloDocuments.SloDocument slo = slos.get(0);
        if (!slo.definition().name().equals(name)) {
            throw invalid("metadata.name", "must match the name in the path '" + name + "', was '"
                    + slo.definition().name() + "'");
        }
        return apply(actor, slo);
    }

    /** Creates the SLO, or replaces it when its document differs; returns empty when nothing changed. */
    Optional<Written> applyIfChanged(Actor actor, SloDocuments.SloDocument slo) {
        writes.lock();
        try {
            Optional<SloVersion> existing = current(slo.definition().name());
            if (existing.isPresent() && existing.get().document().equals(slo.canonicalJson())) {
                return Optional.empty();
            }
            return Optional.of(new Written(write(actor, slo, false), existing.isEmpty()));
        } finally {
            writes.unlock();
        }
    }

    /** @throws UnknownSloException when there is no such SLO */
    public void delete(Actor actor, String name) {
        writes.lock();
        try {
            SloVersion existing = require(name);
            actor.requireTeam(existing.definition().team(), "SLO '" + name + "'");
            write(actor, new SloDocuments.SloDocument(existing.definition(), existing.document()), true);
        } finally {
            writes.unlock();
        }
    }

    /** @throws UnknownSloException when there is no such SLO */
    public SloVersion require(String name) {
        return current(name).orElseThrow(() -> new UnknownSloException(name));
    }

    /**
     * A page of every published version, deletions included, oldest first.
     *
     * @throws UnknownSloException when the SLO never had a version
     */
    public Page<SloVersion> versions(String name, PageRequest page) {
        Optional<Long> after = page.after(1).map(key -> key.number(0));
        Page<SloVersion> versions = page.page(repository.versions(name, after, page.fetch()),
                row -> List.of(Long.toString(row.version()))).map(this::version);
        if (versions.items().isEmpty() && after.isEmpty()) {
            throw new UnknownSloException(name);
        }
        return versions;
    }

    public Page<SloVersion> list(SloListQuery query) {
        return query.page().page(repository.list(query.team(), query.service(), query.after(), query.page().fetch()),
                row -> List.of(row.name())).map(this::version);
    }

    /** Reads request text without storing it, e.g. to check files before anything is written. */
    List<SloDocuments.SloDocument> read(String text) {
        return documents.read(text);
    }

    private Written apply(Actor actor, SloDocuments.SloDocument slo) {
        writes.lock();
        try {
            String name = slo.definition().name();
            actor.requireTeam(slo.definition().team(), "SLO '" + name + "'");
            Optional<SloVersion> existing = current(name);
            // An editor may neither change another team's SLO nor take it over by naming their own team.
            existing.ifPresent(version -> actor.requireTeam(version.definition().team(), "SLO '" + name + "'"));
            boolean created = existing.isEmpty();
            return new Written(write(actor, slo, false), created);
        } finally {
            writes.unlock();
        }
    }

    /**
     * The first minute of {@code slo_minute} that counts for each SLO of {@code names}: for a name that was deleted
     * and created again, the minute its current incarnation was created, so the deleted SLO's events are not
     * counted against the new one; {@link Instant#EPOCH} (every minute) for a name never deleted. An edit (PUT) keeps
     * the incarnation, and so its history.
     */
    public Map<String, Instant> countsFrom(Collection<String> names) {
        Map<String, Instant> recreated = repository.recreatedAt(names);
        Map<String, Instant> result = new HashMap<>();
        for (String name : names) {
            result.put(name, Optional.ofNullable(recreated.get(name))
                    .map(at -> at.truncatedTo(ChronoUnit.MINUTES)).orElse(Instant.EPOCH));
        }
        return result;
    }

    public Optional<SloVersion> current(String name) {
        return repository.latest(name).filter(row -> !row.deleted()).map(this::version);
    }

    private SloVersion write(Actor actor, SloDocuments.SloDocument slo, boolean deletion) {
        SloDefinition definition = slo.definition();
        long version = repository.lastVersion(definition.name()) + 1;
        SloRepository.Row row = new SloRepository.Row(definition.name(), definition.team(), definition.service(),
                version, slo.canonicalJson(), deletion, clock.instant(), actor.name());
        repository.insert(row, false);
        if (deletion) {
            publisher.publishDeletion(definition.name());
        } else {
            publisher.publish(new SloRecord(definition.name(), definition.team(), version, slo.canonicalJson()));
        }
        repository.insert(row, true);
        return new SloVersion(definition, version, row.document(), deletion, row.changedAt(), row.changedBy());
    }

    private SloVersion version(SloRepository.Row row) {
        SloDefinition definition = reader.read(row.document()).get(0);
        return new SloVersion(definition, row.version(), row.document(), row.deleted(), row.changedAt(),
                row.changedBy());
    }

    private static InvalidSloException invalid(String path, String rule) {
        return new InvalidSloException(List.of(new InvalidSloException.Violation(path, rule)));
    }
}
