package io.nines.query.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lanes with one thread each: what fills them, what they refuse, and that one full lane leaves the others. */
class LanesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** Callers: each waits in {@link Lanes#run} as a server thread would. */
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private Lanes lanes;

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        callers.shutdown();
        assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        lanes.close();
    }

    private Lanes lanes(ResilienceSettings settings) {
        lanes = new Lanes(settings, registry);
        return lanes;
    }

    /** Starts a request on {@code lane} that holds its place until {@link #release}. */
    private Future<Integer> blocked(Lane lane, int value) {
        return callers.submit(() -> lanes.run(lane, () -> {
            release.await();
            return value;
        }));
    }

    private double gauge(String name, Lane lane) {
        return registry.get(name).tag("name", Lanes.name(lane)).gauge().value();
    }

    @Test
    void dashboardReadsAnswerWhileTheApiReadsLaneIsFull() throws Exception {
        lanes(ResilienceSettings.defaults().withLanes(64, 1, 1, 1));
        List<Future<Integer>> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(blocked(Lane.API_READS, i));
        }
        // One thread busy and its queue of four full.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(gauge("resilience4j.bulkhead.active.thread.count", Lane.API_READS)).isEqualTo(1);
            assertThat(gauge("resilience4j.bulkhead.queue.depth", Lane.API_READS)).isEqualTo(4);
        });

        assertThatThrownBy(() -> lanes.run(Lane.API_READS, () -> 99))
                .isInstanceOf(OverloadedException.class).hasMessage("the api-reads pool is full");
        assertThat(lanes.run(Lane.DASHBOARD_READS, () -> 42)).isEqualTo(42);
        assertThat(lanes.run(Lane.WRITES, () -> 7)).isEqualTo(7);

        release.countDown();
        List<Integer> answered = new ArrayList<>();
        for (Future<Integer> request : held) {
            answered.add(request.get(10, TimeUnit.SECONDS));
        }
        assertThat(answered).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void refusesEveryLaneBeyondTheGlobalCap() throws Exception {
        lanes(ResilienceSettings.defaults().withLanes(2, 2, 2, 2));
        Future<Integer> first = blocked(Lane.API_READS, 1);
        Future<Integer> second = blocked(Lane.DASHBOARD_READS, 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(registry
                .get("resilience4j.bulkhead.available.concurrent.calls").tag("name", "all-requests").gauge().value())
                .isZero());

        for (Lane lane : Lane.values()) {
            assertThatThrownBy(() -> lanes.run(lane, () -> 3)).as(lane.name())
                    .isInstanceOf(OverloadedException.class).hasMessage("the API is handling 2 requests already");
        }

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(lanes.run(Lane.WRITES, () -> 4)).isEqualTo(4);
    }

    @Test
    void answersTimedOutWhenAReadOutlastsItsLimitAndFreesItsPlaceUnderTheCap() throws Exception {
        // The shortest limit the settings allow with one attempt of a 1 s query: 1.5 + 1 + 0.5 s, plus a little.
        lanes(ResilienceSettings.defaults().withLanes(1, 1, 1, 1)
                .withTimeouts(Duration.ofMillis(3100), Duration.ofSeconds(1), 1));
        long started = System.nanoTime();

        assertThatThrownBy(() -> lanes.run(Lane.API_READS, () -> {
            release.await();
            return 1;
        })).isInstanceOf(TimedOutException.class).hasMessage("the request took longer than 3100 ms");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(3100),
                Duration.ofSeconds(6));
        // The cap of one counts requests, not the abandoned work: the next request is admitted.
        assertThat(lanes.run(Lane.DASHBOARD_READS, () -> 5)).isEqualTo(5);
        assertThat(registry.get("resilience4j.timelimiter.calls").tag("name", "reads").tag("kind", "timeout")
                .counter().count()).isEqualTo(1);
    }
}
