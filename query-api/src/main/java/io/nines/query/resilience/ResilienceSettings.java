package io.nines.query.resilience;

import java.time.Duration;

/**
 * Limits that protect the API and ClickHouse.
 *
 * @param maxConcurrentRequests requests handled at once over all lanes; more get 503 (default 64)
 * @param dashboardThreads threads, and queue of four times as many, for dashboard reads (default 4)
 * @param apiThreads the same for API reads (default 8)
 * @param writeThreads the same for writes (default 2)
 * @param readTimeout how long a read may take before it is answered with 503 (default 10 s)
 * @param writeTimeout the same for writes, which wait for Kafka up to 10 s (default 20 s)
 * @param requestsPerSecond what one token may send per second; more get 429 (default 50)
 * @param freshFor how long a status or latency answer is reused without asking ClickHouse (default 1 s; 0 off);
 *     up to ten times as long it is served while one background refresh runs
 * @param staleFor how long the last good answer is kept to serve while ClickHouse fails (default 24 h)
 * @param breakerOpenFor how long the ClickHouse breaker stays open before it lets trial calls through (5 s)
 * @param queryTimeout how long ClickHouse may run one statement (default 5 s)
 */
public record ResilienceSettings(int maxConcurrentRequests, int dashboardThreads, int apiThreads, int writeThreads,
        Duration readTimeout, Duration writeTimeout, int requestsPerSecond, Duration freshFor, Duration staleFor,
        Duration breakerOpenFor, Duration queryTimeout) {

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
        if (freshFor == null || freshFor.isNegative()) {
            throw new IllegalArgumentException("fresh-for-ms must be zero or positive, was " + freshFor);
        }
    }

    public static ResilienceSettings defaults() {
        return new ResilienceSettings(64, 4, 8, 2, Duration.ofSeconds(10), Duration.ofSeconds(20), 50,
                Duration.ofSeconds(1), Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    public ResilienceSettings withRequestsPerSecond(int perSecond) {
        return new ResilienceSettings(maxConcurrentRequests, dashboardThreads, apiThreads, writeThreads, readTimeout,
                writeTimeout, perSecond, freshFor, staleFor, breakerOpenFor, queryTimeout);
    }

    public ResilienceSettings withFreshFor(Duration fresh) {
        return new ResilienceSettings(maxConcurrentRequests, dashboardThreads, apiThreads, writeThreads, readTimeout,
                writeTimeout, requestsPerSecond, fresh, staleFor, breakerOpenFor, queryTimeout);
    }

    public ResilienceSettings withBreakerOpenFor(Duration openFor) {
        return new ResilienceSettings(maxConcurrentRequests, dashboardThreads, apiThreads, writeThreads, readTimeout,
                writeTimeout, requestsPerSecond, freshFor, staleFor, openFor, queryTimeout);
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
