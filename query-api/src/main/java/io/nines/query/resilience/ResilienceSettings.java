package io.nines.query.resilience;

import io.nines.query.storage.ClickHouse;
import io.nines.query.storage.Sql;
import io.nines.query.storage.StorageGuard;
import java.time.Duration;

/**
 * Limits that protect the API and ClickHouse.
 *
 * @param maxConcurrentRequests requests handled at once over all lanes; more get 503 (default 64)
 * @param dashboardThreads threads, and queue of four times as many, for dashboard reads (default 4)
 * @param apiThreads the same for API reads (default 8)
 * @param writeThreads the same for writes (default 2)
 * @param readTimeout how long a read may take before it is answered with 503 (default 12 s); longer than the
 *     read retry budget, so that a read whose ClickHouse calls all failed or timed out still has the time to
 *     answer from the stale cache
 * @param writeTimeout the same for writes, which wait for Kafka up to 10 s (default 20 s)
 * @param requestsPerSecond what one token may send per second; more get 429 (default 50)
 * @param freshFor how long a status or latency answer is reused without asking ClickHouse (default 1 s; 0 off);
 *     up to ten times as long it is served while one background refresh runs
 * @param staleFor how long the last good answer is kept to serve while ClickHouse fails (default 24 h)
 * @param breakerOpenFor how long the ClickHouse breaker stays open before it lets trial calls through (5 s)
 * @param queryTimeout how long ClickHouse may run one statement, enforced by the server and by the driver's wait
 *     (whole seconds; default 3 s)
 * @param readAttempts how many times a read is tried when ClickHouse cannot be reached; never for a timeout or
 *     an error ClickHouse answered (default 2)
 * @param cacheBytes how many bytes of answers each read cache keeps, for reuse and again for stale answers
 *     (default 8 MiB; four caches)
 * @param authFailuresPerMinute failed authentications one client address may cause per minute; beyond, its
 *     requests with a token not checked recently get 429 without a lookup (default 60)
 */
public record ResilienceSettings(int maxConcurrentRequests, int dashboardThreads, int apiThreads, int writeThreads,
        Duration readTimeout, Duration writeTimeout, int requestsPerSecond, Duration freshFor, Duration staleFor,
        Duration breakerOpenFor, Duration queryTimeout, int readAttempts, long cacheBytes, int authFailuresPerMinute) {

    public ResilienceSettings {
        positive("max-concurrent-requests", maxConcurrentRequests);
        positive("dashboard-threads", dashboardThreads);
        positive("api-threads", apiThreads);
        positive("write-threads", writeThreads);
        positive("rate-limit-per-second", requestsPerSecond);
        positive("read-timeout-ms", readTimeout);
        positive("write-timeout-ms", writeTimeout);
        positive("stale-for-ms", staleFor);
        positive("breaker-open-ms", breakerOpenFor);
        positive("query-timeout-ms", queryTimeout);
        positive("read-attempts", readAttempts);
        positive("auth-failures-per-minute", authFailuresPerMinute);
        if (cacheBytes < 1) {
            throw new IllegalArgumentException("cache-bytes must be positive, was " + cacheBytes);
        }
        if (freshFor == null || freshFor.isNegative()) {
            throw new IllegalArgumentException("fresh-for-ms must be zero or positive, was " + freshFor);
        }
        Duration budget = readRetryBudget(readAttempts, queryTimeout);
        if (budget.compareTo(readTimeout) >= 0) {
            throw new IllegalArgumentException("read-timeout-ms (" + readTimeout.toMillis() + ") must be longer than"
                    + " the read retry budget of " + budget.toMillis() + " ms: read-attempts (" + readAttempts
                    + ") x (pool wait " + ClickHouse.CONNECTION_TIMEOUT.toMillis() + " ms + query-timeout-ms ("
                    + queryTimeout.toMillis() + ") + grace " + Sql.NETWORK_GRACE.toMillis() + " ms) + "
                    + (readAttempts - 1) + " backoffs of at most "
                    + StorageGuard.MAX_BACKOFF.toMillis() + " ms; otherwise slow reads end in 503 instead of a stale"
                    + " answer");
        }
    }

    /**
     * The longest a read can spend on ClickHouse: every attempt may wait for a pooled connection and then for the
     * query (whole seconds) and the driver's grace, with a backoff between attempts.
     */
    public static Duration readRetryBudget(int attempts, Duration queryTimeout) {
        Duration query = Duration.ofSeconds((queryTimeout.toMillis() + 999) / 1000);
        return ClickHouse.CONNECTION_TIMEOUT.plus(query).plus(Sql.NETWORK_GRACE).multipliedBy(attempts)
                .plus(StorageGuard.MAX_BACKOFF.multipliedBy(attempts - 1L));
    }

    public static ResilienceSettings defaults() {
        return new ResilienceSettings(64, 4, 8, 2, Duration.ofSeconds(12), Duration.ofSeconds(20), 50,
                Duration.ofSeconds(1), Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(3), 2,
                8L << 20, 60);
    }

    public ResilienceSettings withRequestsPerSecond(int perSecond) {
        return new ResilienceSettings(maxConcurrentRequests, dashboardThreads, apiThreads, writeThreads, readTimeout,
                writeTimeout, perSecond, freshFor, staleFor, breakerOpenFor, queryTimeout, readAttempts,
                cacheBytes, authFailuresPerMinute);
    }

    public ResilienceSettings withFreshFor(Duration fresh) {
        return new ResilienceSettings(maxConcurrentRequests, dashboardThreads, apiThreads, writeThreads, readTimeout,
                writeTimeout, requestsPerSecond, fresh, staleFor, breakerOpenFor, queryTimeout, readAttempts,
                cacheBytes, authFailuresPerMinute);
    }

    public ResilienceSettings withBreakerOpenFor(Duration openFor) {
        return new ResilienceSettings(maxConcurrentRequests, dashboardThreads, apiThreads, writeThreads, readTimeout,
                writeTimeout, requestsPerSecond, freshFor, staleFor, openFor, queryTimeout, readAttempts,
                cacheBytes, authFailuresPerMinute);
    }

    /** Small pools and short limits, for tests that fill them. */
    public ResilienceSettings withLanes(int maxConcurrent, int dashboard, int api, int writes) {
        return new ResilienceSettings(maxConcurrent, dashboard, api, writes, readTimeout, writeTimeout,
                requestsPerSecond, freshFor, staleFor, breakerOpenFor, queryTimeout, readAttempts,
                cacheBytes, authFailuresPerMinute);
    }

    public ResilienceSettings withTimeouts(Duration read, Duration query, int attempts) {
        return new ResilienceSettings(maxConcurrentRequests, dashboardThreads, apiThreads, writeThreads, read,
                writeTimeout, requestsPerSecond, freshFor, staleFor, breakerOpenFor, query, attempts,
                cacheBytes, authFailuresPerMinute);
    }

    public ResilienceSettings withAuthFailuresPerMinute(int perMinute) {
        return new ResilienceSettings(maxConcurrentRequests, dashboardThreads, apiThreads, writeThreads, readTimeout,
                writeTimeout, requestsPerSecond, freshFor, staleFor, breakerOpenFor, queryTimeout, readAttempts,
                cacheBytes, perMinute);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }

    private static void positive(String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, was " + value);
        }
    }
}
