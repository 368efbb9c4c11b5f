package io.nines.query.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nines.query.storage.StorageUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StaleCacheTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-01T12:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final List<Runnable> background = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Each answer weighs its value in bytes, so tests choose sizes by choosing values. */
    private final StaleCache<String, Integer> cache = new StaleCache<>("test", Duration.ofSeconds(1),
            Duration.ofHours(1), 1_000, value -> value, background::add, clock, registry);
    private final AtomicInteger loads = new AtomicInteger();

    private Integer load() {
        return loads.incrementAndGet();
    }

    private static Integer down() {
        throw new StorageUnavailableException("ClickHouse is down", null);
    }

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }

    @Test
    void reusesAnAnswerWithinTheFreshWindowWithoutLoading() {
        assertThat(cache.get("k", this::load)).isEqualTo(new StaleCache.Answer<>(1, StaleCache.Source.STORE,
                Duration.ZERO));
        advance(Duration.ofMillis(999));
        assertThat(cache.get("k", this::load)).isEqualTo(new StaleCache.Answer<>(1, StaleCache.Source.FRESH_CACHE,
                Duration.ofMillis(999)));
        assertThat(loads).hasValue(1);
        assertThat(background).isEmpty();
    }

    @Test
    void servesTheOldAnswerWhileOneBackgroundRefreshRuns() {
        cache.get("k", this::load);
        advance(Duration.ofSeconds(2));

        assertThat(cache.get("k", this::load).value()).isEqualTo(1);
        assertThat(cache.get("k", this::load).value()).isEqualTo(1);
        assertThat(background).hasSize(1);
        background.get(0).run();

        assertThat(cache.get("k", this::load)).isEqualTo(new StaleCache.Answer<>(2, StaleCache.Source.FRESH_CACHE,
                Duration.ZERO));
        assertThat(loads).hasValue(2);
    }

    @Test
    void answersFromTheLastGoodValueMarkedStaleWhenTheStoreFails() {
        cache.get("k", this::load);
        advance(Duration.ofSeconds(90));

        StaleCache.Answer<Integer> answer = cache.get("k", StaleCacheTest::down);

        assertThat(answer).isEqualTo(new StaleCache.Answer<>(1, StaleCache.Source.STALE, Duration.ofSeconds(90)));
        assertThat(answer.stale()).isTrue();
        assertThat(registry.get("nines.api.cache.answers").tag("result", "stale").counter().count()).isEqualTo(1.0);
    }

    @Test
    void failsWhenTheStoreFailsAndNothingWasEverStored() {
        assertThatThrownBy(() -> cache.get("other", StaleCacheTest::down))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(registry.get("nines.api.cache.answers").tag("result", "failed").counter().count()).isEqualTo(1.0);
    }

    @Test
    void forgetsAnswersOlderThanTheStaleWindow() {
        cache.get("k", this::load);
        advance(Duration.ofHours(2));
        assertThatThrownBy(() -> cache.get("k", StaleCacheTest::down)).isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void servesTheLastGoodAnswerOfTheSameShapeWhenTheExactKeyWasNeverStored() {
        cache.get("last-30m@12:00:00", "last-30m", this::load);
        advance(Duration.ofSeconds(30));

        StaleCache.Answer<Integer> answer = cache.get("last-30m@12:00:30", "last-30m", StaleCacheTest::down);

        assertThat(answer).isEqualTo(new StaleCache.Answer<>(1, StaleCache.Source.STALE, Duration.ofSeconds(30)));
        assertThatThrownBy(() -> cache.get("last-1h@12:00:30", "last-1h", StaleCacheTest::down))
                .isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void reusesFreshAnswersOnlyForTheExactKey() {
        cache.get("last-30m@12:00:00", "last-30m", this::load);

        assertThat(cache.get("last-30m@12:00:00", "last-30m", this::load).source())
                .isEqualTo(StaleCache.Source.FRESH_CACHE);
        assertThat(cache.get("last-30m@12:00:01", "last-30m", this::load))
                .isEqualTo(new StaleCache.Answer<>(2, StaleCache.Source.STORE, Duration.ZERO));
        assertThat(loads).hasValue(2);
    }

    @Test
    void boundsTheLastGoodAnswersByTheirBytesNotTheirNumber() {
        AtomicInteger size = new AtomicInteger(400);
        for (int i = 0; i < 5; i++) {
            cache.get("big-" + i, size::get);
        }
        cache.cleanUp();

        // 1000 bytes hold two answers of 400 bytes and their 5-character keys, not five.
        assertThat(cache.staleBytes()).isEqualTo(810);
    }

    @Test
    void refusesABudgetOfNoBytes() {
        assertThatThrownBy(() -> new StaleCache<String, Integer>("test", Duration.ZERO, Duration.ofHours(1), 0,
                value -> value, background::add, clock, registry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBytes must be positive, was 0");
    }
}
