package io.nines.query.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedThreadPoolBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Runs requests within a global concurrency cap, on their lane's bounded pool, within their lane's time limit.
 *
 * <p>A request over the time limit is answered at once (503 {@code timeout}). Its work cannot be interrupted
 * (Resilience4j's {@code cancelRunningFuture} does not reach a thread blocked in the driver), so it goes on in
 * the pool until its ClickHouse calls end, which the query timeout and the driver's wait bound; timeouts are not
 * retried, and {@link ResilienceSettings} keeps the whole read retry budget under the read limit, so a read
 * normally ends (with its stale answer) before the limit, and the limit only catches work that waited in the
 * queue. The caller writes the answer, never the abandoned work ({@code http.DeferredContext}).
 */
public final class Lanes implements AutoCloseable {

    private final Bulkhead global;
    private final Map<Lane, ThreadPoolBulkhead> pools = new EnumMap<>(Lane.class);
    private final TimeLimiter reads;
    private final TimeLimiter writes;
    private final ThreadPoolBulkhead refreshes;

    public Lanes(ResilienceSettings settings, MeterRegistry registry) {
        BulkheadRegistry bulkheads = BulkheadRegistry.of(BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentRequests())
                .maxWaitDuration(Duration.ZERO)
                .build());
        this.global = bulkheads.bulkhead("all-requests");
        ThreadPoolBulkheadRegistry threadPools = ThreadPoolBulkheadRegistry.ofDefaults();
        pools.put(Lane.DASHBOARD_READS, pool(threadPools, Lane.DASHBOARD_READS, settings.dashboardThreads()));
        pools.put(Lane.API_READS, pool(threadPools, Lane.API_READS, settings.apiThreads()));
        pools.put(Lane.WRITES, pool(threadPools, Lane.WRITES, settings.writeThreads()));
        this.refreshes = threadPools.bulkhead("cache-refreshes", ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(2).maxThreadPoolSize(2).queueCapacity(64).build());
        TimeLimiterRegistry limiters = TimeLimiterRegistry.ofDefaults();
        this.reads = limiters.timeLimiter("reads", TimeLimiterConfig.custom()
                .timeoutDuration(settings.readTimeout()).cancelRunningFuture(true).build());
        this.writes = limiters.timeLimiter("writes", TimeLimiterConfig.custom()
                .timeoutDuration(settings.writeTimeout()).cancelRunningFuture(true).build());
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
        TaggedThreadPoolBulkheadMetrics.ofThreadPoolBulkheadRegistry(threadPools).bindTo(registry);
        TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(limiters).bindTo(registry);
    }

    private static ThreadPoolBulkhead pool(ThreadPoolBulkheadRegistry registry, Lane lane, int threads) {
        return registry.bulkhead(name(lane), ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(threads)
                .maxThreadPoolSize(threads)
                .queueCapacity(threads * 4)
                .build());
    }

    /**
     * @throws OverloadedException when the cap or the lane is full
     * @throws TimedOutException when the work took longer than the lane allows
     */
    public <T> T run(Lane lane, Callable<T> work) throws Exception {
        if (!global.tryAcquirePermission()) {
            throw new OverloadedException("the API is handling " + global.getBulkheadConfig().getMaxConcurrentCalls()
                    + " requests already");
        }
        try {
            CompletableFuture<T> future;
            try {
                future = pools.get(lane).executeCallable(work).toCompletableFuture();
            } catch (BulkheadFullException e) {
                throw new OverloadedException("the " + name(lane) + " pool is full");
            }
            TimeLimiter limiter = lane == Lane.WRITES ? writes : reads;
            try {
                return limiter.executeFutureSupplier(() -> future);
            } catch (TimeoutException e) {
                throw new TimedOutException("the request took longer than "
                        + limiter.getTimeLimiterConfig().getTimeoutDuration().toMillis() + " ms");
            }
        } finally {
            global.onComplete();
        }
    }

    /** Where caches refresh answers in the background: a small pool of its own, refusing work when full. */
    public Executor refresher() {
        return task -> {
            try {
                refreshes.executeRunnable(task);
            } catch (BulkheadFullException e) {
                throw new RejectedExecutionException("the cache refresh pool is full", e);
            }
        };
    }

    static String name(Lane lane) {
        return lane.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public void close() {
        List<ThreadPoolBulkhead> all = new java.util.ArrayList<>(pools.values());
        all.add(refreshes);
        for (ThreadPoolBulkhead pool : all) {
            try {
                pool.close();
            } catch (Exception e) {
                // Closing at shutdown: nothing left to do with a failure.
            }
        }
    }
}
