package io.nines.query.slo;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.nines.core.slo.InvalidSloException;
import io.nines.core.slo.OpenSloReader;
import io.nines.core.slo.SloDefinition;
import io.nines.core.slo.SloRecord;
import io.nines.query.paging.Page;
import io.nines.query.paging.PageRequest;
import io.nines.query.storage.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Creates, replaces, deletes and reads SLO definitions.
 *
 * <p>A change is written in three steps: the new version row (unpublished), the Kafka record, and the same row
 * marked published. Only published rows are current, so when Kafka fails the change answers 503 and leaves
 * the previous version current; its version number stays used, so the stream never sees two documents under
 * one version. If ClickHouse fails after Kafka acknowledged, the stream already runs the new version while
 * this API still shows the old one until the change is retried, which publishes the same document again.
 *
 * <p>Every change is a compare-and-set on the newest published version, also across API processes: it claims its
 * version number in {@code slo_definitions} (ClickHouse keeps one claim per number, see {@link SloRepository}), then
 * gives up ({@link ConcurrentChangeException}) when a version newer than the one it was based on was published or
 * is still being written. A change with {@code If-Match} then fails ({@link PreconditionFailedException}, 412); one
 * without is tried again, last writer wins.
 */
public final class SloService {

    /** A write's outcome: the version now current and whether the SLO did not exist before. */
    public record Written(SloVersion version, boolean created) {}

    /**
     * How long a claimed, unpublished version may still be published by its writer: Kafka's send timeout plus
     * time for the ClickHouse writes around it. Older ones were left by a writer that failed.
     */
    static final Duration IN_FLIGHT = SloPublisher.SEND_TIMEOUT.plusSeconds(20);

    private static final int LIST_BATCH = 500;

    private final SloRepository repository;
    private final SloPublisher publisher;
    private final InstantSource clock;
    private final SloDocuments documents = new SloDocuments();
    private final OpenSloReader reader = new OpenSloReader();
    // One writer at a time per process keeps its own changes from racing; the claim guards against other processes.
    private final ReentrantLock writes = new ReentrantLock();
    // A change without If-Match that raced another is tried again once that one is published (within milliseconds
    // normally, at most the publish timeout).
    private final Retry retry = Retry.of("slo-writes", RetryConfig.custom().maxAttempts(6)
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(50), 2, 0.5))
            .retryExceptions(ConcurrentChangeException.class).build());

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
                String name = slo.definition().name();
                long base = repository.latest(name).map(SloRepository.Row::version).orElse(0L);
                try {
                    created.add(write(actor, slo, false, base));
                } catch (ConcurrentChangeException e) {
                    // Another writer created it at the same moment.
                    throw new SloExistsException(name, base + 1);
                }
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
        return put(actor, name, text, Optional.empty());
    }

    /**
     * As {@link #put(Actor, String, String)}, replacing only the version {@code ifMatch} names when present.
     *
     * @throws PreconditionFailedException when {@code ifMatch} does not name the current version
     */
    public Written put(Actor actor, String name, String text, Optional<IfMatch> ifMatch) {
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
        return changing(name, ifMatch, () -> apply(actor, slo, ifMatch));
    }

    /** Creates the SLO, or replaces it when its document differs; returns empty when nothing changed. */
    Optional<Written> applyIfChanged(Actor actor, SloDocuments.SloDocument slo) {
        return changing(slo.definition().name(), Optional.empty(), () -> {
            writes.lock();
            try {
                State state = state(slo.definition().name());
                if (state.current().isPresent() && state.current().get().document().equals(slo.canonicalJson())) {
                    return Optional.empty();
                }
                return Optional.of(new Written(write(actor, slo, false, state.base()), state.current().isEmpty()));
            } finally {
                writes.unlock();
            }
        });
    }

    /** @throws UnknownSloException when there is no such SLO */
    public void delete(Actor actor, String name) {
        delete(actor, name, Optional.empty());
    }

    /**
     * Deletes the SLO, only at the version {@code ifMatch} names when present.
     *
     * @throws UnknownSloException when there is no such SLO
     * @throws PreconditionFailedException when {@code ifMatch} does not name the current version
     */
    public void delete(Actor actor, String name, Optional<IfMatch> ifMatch) {
        changing(name, ifMatch, () -> {
            writes.lock();
            try {
                State state = state(name);
                SloVersion existing = state.current().orElseThrow(() -> new UnknownSloException(name));
                actor.requireTeam(existing.definition().team(), "SLO '" + name + "'");
                requireMatch(name, ifMatch, state);
                return write(actor, new SloDocuments.SloDocument(existing.definition(), existing.document()), true,
                        state.base());
            } finally {
                writes.unlock();
            }
        });
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

    /** Every current SLO, by name. */
    List<SloVersion> currentVersions() {
        List<SloVersion> all = new ArrayList<>();
        Optional<String> after = Optional.empty();
        while (true) {
            List<SloRepository.Row> rows = repository.list(Optional.empty(), Optional.empty(), after, LIST_BATCH);
            rows.forEach(row -> all.add(version(row)));
            if (rows.size() < LIST_BATCH) {
                return all;
            }
            after = Optional.of(rows.get(rows.size() - 1).name());
        }
    }

    /** What a file holds, before it is read: see {@link SloDocuments#contents}. */
    SloDocuments.Contents contents(String text) {
        return documents.contents(text);
    }

    /** Reads request text without storing it, e.g. to check files before anything is written. */
    List<SloDocuments.SloDocument> read(String text) {
        return documents.read(text);
    }

    private Written apply(Actor actor, SloDocuments.SloDocument slo, Optional<IfMatch> ifMatch) {
        writes.lock();
        try {
            String name = slo.definition().name();
            actor.requireTeam(slo.definition().team(), "SLO '" + name + "'");
            State state = state(name);
            Optional<SloVersion> existing = state.current();
            // An editor may neither change another team's SLO nor take it over by naming their own team.
            existing.ifPresent(version -> actor.requireTeam(version.definition().team(), "SLO '" + name + "'"));
            requireMatch(name, ifMatch, state);
            return new Written(write(actor, slo, false, state.base()), existing.isEmpty());
        } finally {
            writes.unlock();
        }
    }

    /** The newest published version's number (0 when none), which a change is based on, and the current SLO. */
    private record State(long base, Optional<SloVersion> current) {}

    private State state(String name) {
        Optional<SloRepository.Row> latest = repository.latest(name);
        return new State(latest.map(SloRepository.Row::version).orElse(0L),
                latest.filter(row -> !row.deleted()).map(this::version));
    }

    private static void requireMatch(String name, Optional<IfMatch> ifMatch, State state) {
        if (ifMatch.isPresent() && !ifMatch.get().matches(state.current())) {
            throw new PreconditionFailedException("If-Match names " + ifMatch.get().describe() + " of SLO '" + name
                    + "', but " + state.current().map(v -> "its current version is " + v.version()
                            + "; read it again (GET /api/v1/slos/" + name + ") and send its ETag")
                            .orElse("there is no such SLO"));
        }
    }

    /** Runs a change: with If-Match a race is a failed precondition; without, the change is tried again. */
    private <T> T changing(String name, Optional<IfMatch> ifMatch, Supplier<T> change) {
        if (ifMatch.isEmpty()) {
            return retry.executeSupplier(change);
        }
        try {
            return change.get();
        } catch (ConcurrentChangeException e) {
            throw new PreconditionFailedException(e.getMessage());
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

    /**
     * Writes the next version of an SLO whose newest published version was {@code base}.
     *
     * @throws ConcurrentChangeException when another writer took the number, or published or is writing a version
     *     after {@code base}
     */
    private SloVersion write(Actor actor, SloDocuments.SloDocument slo, boolean deletion, long base) {
        SloDefinition definition = slo.definition();
        String name = definition.name();
        long version = Math.max(repository.lastVersion(name), base) + 1;
        Instant now = clock.instant();
        SloRepository.Row row = new SloRepository.Row(name, definition.team(), definition.service(),
                version, slo.canonicalJson(), deletion, now, actor.name());
        String claim = UUID.randomUUID().toString();
        if (!repository.claim(row, claim)) {
            throw new ConcurrentChangeException(name, version);
        }
        if (repository.changedBetween(name, base, version, now.minus(IN_FLIGHT))) {
            repository.abandon(row, claim);
            throw new ConcurrentChangeException(name, version);
        }
        try {
            if (deletion) {
                publisher.publishDeletion(name);
            } else {
                publisher.publish(new SloRecord(name, definition.team(), version, slo.canonicalJson()));
            }
        } catch (PublishFailedException e) {
            // Kafka may still have it: the number stays burnt, but it must not hold back the next change.
            repository.abandon(row, claim);
            throw e;
        }
        repository.publish(row, claim);
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
