package io.nines.query.resilience;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.nines.query.storage.StorageUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Answers for reads that must survive a ClickHouse outage: the last good answer is kept for {@code staleFor}, and
 * served, marked stale with its age, when ClickHouse fails, times out or the breaker is open.
 *
 * <p>Two keys per request. The exact key (path and every parameter) finds answers to reuse while they are fresh:
 * an answer younger than {@code freshFor} is reused without asking ClickHouse, which turns a burst of identical
 * dashboard reads into one query. Up to ten times that age it is still served at once while one refresh runs in
 * the background (RFC 5861's stale-while-revalidate); older answers are recomputed while the caller waits. The
 * shape key finds the last good answer during an outage: for a range that ends now, it leaves out where the range
 * lies and keeps its length, because dashboards and scripts move {@code from} and {@code to} with the clock and
 * never send the same exact key twice. The stale answer then covers an earlier range, which its own
 * {@code from} and {@code to} say.
 *
 * <p>Both maps are bounded by weight (the answer's size in bytes, plus its key's text), not by count: a few big heatmaps and many
 * small statuses cost what they weigh. Caffeine's frequency-based admission keeps a flood of one-off keys (one
 * token sending a new {@code from} each time) from evicting the answers that many requests share.
 *
 * @param <K> what identifies a request (a record of its parameters)
 * @param <V> its answer
 */
public final class StaleCache<K, V> {

    /** An answer, and when it is not current, how old it is. */
    public record Answer<V>(V value, Source source, Duration age) {
        public boolean stale() {
            return source == Source.STALE;
        }
    }

    /** Where an answer came from, as {@code Cache-Status} reports it. */
    public enum Source { STORE, FRESH_CACHE, STALE }

    private record Stored<V>(V value, Instant at, int weight) {}

    private final Cache<K, Stored<V>> recent;
    private final Cache<K, Stored<V>> lastGood;
    private final Duration freshFor;
    private final Duration revalidateFor;
    private final ToIntFunction<V> weigher;
    private final Executor refresher;
    private final Set<K> refreshing = ConcurrentHashMap.newKeySet();
    private final InstantSource clock;
    private final Counter stored;
    private final Counter hits;
    private final Counter staleServed;
    private final Counter failed;

    /**
     * @param maxBytes what each of the two maps (exact answers for reuse, last good answers by shape) may hold,
     *     as {@code weigher} counts
     * @param weigher an answer's size in bytes
     * @param refresher runs background refreshes; it may refuse work ({@link RejectedExecutionException}) when
     *     busy, and the answer is then refreshed by a later request
     */
    public StaleCache(String name, Duration freshFor, Duration staleFor, long maxBytes, ToIntFunction<V> weigher,
            Executor refresher, InstantSource clock, MeterRegistry registry) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
        }
        this.clock = clock;
        this.freshFor = freshFor;
        this.revalidateFor = freshFor.multipliedBy(10);
        this.weigher = weigher;
        this.refresher = refresher;
        // Expiry follows the injected clock too, so ages in headers and the stale window agree.
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.recent = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((K key, Stored<V> entry) -> weight(key, entry))
                .expireAfterWrite(revalidateFor)
                .ticker(ticker).build();
        this.lastGood = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((K key, Stored<V> entry) -> weight(key, entry))
                .expireAfterWrite(staleFor).ticker(ticker).build();
        this.stored = counter(registry, name, "store");
        this.hits = counter(registry, name, "fresh");
        this.staleServed = counter(registry, name, "stale");
        this.failed = counter(registry, name, "failed");
    }

    /** The answer's bytes, and the key's text: a long query string costs its length too. */
    private static <K> int weight(K key, Stored<?> entry) {
        return entry.weight() + key.toString().length();
    }

    private static Counter counter(MeterRegistry registry, String cache, String result) {
        return Counter.builder("nines.api.cache.answers")
                .description("Answers of read caches: store (asked ClickHouse), fresh (reused within the fresh"
                        + " window), stale (ClickHouse failed, last good answer served), failed (nothing to serve)")
                .tag("cache", cache)
                .tag("result", result)
                .register(registry);
    }

    /**
     * A request whose exact key is also its shape (no range that moves with the clock).
     *
     * @throws StorageUnavailableException when ClickHouse failed and there is no answer to fall back on
     */
    public Answer<V> get(K key, Supplier<V> load) {
        return get(key, key, load);
    }

    /**
     * @param exact what an answer must match to be reused while fresh
     * @param shape what the last good answer must match to be served while ClickHouse fails
     * @throws StorageUnavailableException when ClickHouse failed and there is no answer to fall back on
     */
    public Answer<V> get(K exact, K shape, Supplier<V> load) {
        Stored<V> fresh = freshFor.isZero() ? null : recent.getIfPresent(exact);
        if (fresh != null) {
            Duration age = age(fresh);
            if (age.compareTo(revalidateFor) < 0) {
                if (age.compareTo(freshFor) >= 0) {
                    refreshInBackground(exact, shape, load);
                }
                hits.increment();
                return new Answer<>(fresh.value(), Source.FRESH_CACHE, age);
            }
        }
        try {
            V value = store(exact, shape, load);
            return new Answer<>(value, Source.STORE, Duration.ZERO);
        } catch (StorageUnavailableException e) {
            Stored<V> last = lastGood.getIfPresent(shape);
            if (last == null) {
                failed.increment();
                throw e;
            }
            staleServed.increment();
            return new Answer<>(last.value(), Source.STALE, age(last));
        }
    }

    private V store(K exact, K shape, Supplier<V> load) {
        V value = load.get();
        Stored<V> entry = new Stored<>(value, clock.instant(), Math.max(1, weigher.applyAsInt(value)));
        if (!freshFor.isZero()) {
            recent.put(exact, entry);
        }
        lastGood.put(shape, entry);
        stored.increment();
        return value;
    }

    /** One refresh per key at a time; a failed one leaves the last good answer in place. */
    private void refreshInBackground(K exact, K shape, Supplier<V> load) {
        if (!refreshing.add(exact)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    store(exact, shape, load);
                } catch (RuntimeException e) {
                    // The next request past the revalidation window recomputes, or falls back to stale.
                } finally {
                    refreshing.remove(exact);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.remove(exact);
        }
    }

    /** Runs pending evictions now; Caffeine otherwise does this work a little later, on its own schedule. */
    void cleanUp() {
        recent.cleanUp();
        lastGood.cleanUp();
    }

    /** How many bytes of last good answers are kept (as the weigher counts). */
    long staleBytes() {
        return lastGood.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    private Duration age(Stored<V> entry) {
        Duration age = Duration.between(entry.at(), clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }
}
