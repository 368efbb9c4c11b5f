package io.nines.query.resilience;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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

/**
 * Answers for reads that must survive a ClickHouse outage: the last good answer per request is kept for
 * {@code staleFor}, and served, marked stale with its age, when ClickHouse fails or the breaker is open.
 *
 * <p>An answer younger than {@code freshFor} is reused without asking ClickHouse, which turns a burst of identical
 * dashboard reads into one query. Up to ten times that age it is still served at once while one refresh runs in
 * the background (RFC 5861's stale-while-revalidate), so no caller waits for ClickHouse while others read the
 * same thing; older answers are recomputed while the caller waits.
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

    private record Stored<V>(V value, Instant at) {}

    private final Cache<K, Stored<V>> lastGood;
    private final Duration freshFor;
    private final Duration revalidateFor;
    private final Executor refresher;
    private final Set<K> refreshing = ConcurrentHashMap.newKeySet();
    private final InstantSource clock;
    private final Counter stored;
    private final Counter hits;
    private final Counter staleServed;
    private final Counter failed;

    /**
     * @param refresher runs background refreshes; it may refuse work ({@link RejectedExecutionException}) when
     *     busy, and the answer is then refreshed by a later request
     */
    public StaleCache(String name, Duration freshFor, Duration staleFor, Executor refresher, InstantSource clock,
            MeterRegistry registry) {
        this.clock = clock;
        this.freshFor = freshFor;
        this.revalidateFor = freshFor.multipliedBy(10);
        this.refresher = refresher;
        // Expiry follows the injected clock too, so ages in headers and the stale window agree.
        this.lastGood = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(staleFor)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis())).build();
        this.stored = counter(registry, name, "store");
        this.hits = counter(registry, name, "fresh");
        this.staleServed = counter(registry, name, "stale");
        this.failed = counter(registry, name, "failed");
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
     * @throws StorageUnavailableException when ClickHouse failed and there is no answer to fall back on
     */
    public Answer<V> get(K key, Supplier<V> load) {
        Stored<V> recent = freshFor.isZero() ? null : lastGood.getIfPresent(key);
        if (recent != null) {
            Duration age = age(recent);
            if (age.compareTo(revalidateFor) < 0) {
                if (age.compareTo(freshFor) >= 0) {
                    refreshInBackground(key, load);
                }
                hits.increment();
                return new Answer<>(recent.value(), Source.FRESH_CACHE, age);
            }
        }
        try {
            V value = store(key, load);
            return new Answer<>(value, Source.STORE, Duration.ZERO);
        } catch (StorageUnavailableException e) {
            Stored<V> last = lastGood.getIfPresent(key);
            if (last == null) {
                failed.increment();
                throw e;
            }
            staleServed.increment();
            return new Answer<>(last.value(), Source.STALE, age(last));
        }
    }

    private V store(K key, Supplier<V> load) {
        V value = load.get();
        lastGood.put(key, new Stored<>(value, clock.instant()));
        stored.increment();
        return value;
    }

    /** One refresh per key at a time; a failed one leaves the last good answer in place. */
    private void refreshInBackground(K key, Supplier<V> load) {
        if (!refreshing.add(key)) {
            return;
        }
        try {
            refresher.execute(() -> {
                try {
                    store(key, load);
                } catch (RuntimeException e) {
                    // The next request past the revalidation window recomputes, or falls back to stale.
                } finally {
                    refreshing.remove(key);
                }
            });
        } catch (RejectedExecutionException e) {
            refreshing.remove(key);
        }
    }

    private Duration age(Stored<V> entry) {
        Duration age = Duration.between(entry.at(), clock.instant());
        return age.isNegative() ? Duration.ZERO : age;
    }
}
