package io.nines.query.resilience;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * Failed authentications per client address: a Resilience4j rate limiter each, which only failures draw on. A
 * client that used its allowance is throttled: its requests are answered without looking their token up, so a
 * flood of made-up tokens costs neither ClickHouse queries nor cache places.
 */
public final class AuthFailures {

    private final RateLimiterConfig config;
    private final Cache<String, RateLimiter> limiters;
    private final Counter throttled;

    public AuthFailures(int perMinute, MeterRegistry registry) {
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(perMinute)
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build();
        this.limiters = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
        this.throttled = Counter.builder("nines.api.auth.throttled")
                .description("Requests refused with 429 because their client address failed to authenticate too"
                        + " often; their token was not looked up")
                .register(registry);
    }

    /**
     * Whether {@code client} used up its failures.
     *
     * @return the seconds until it may try again, or 0 when it may try now
     */
    public long throttled(String client) {
        RateLimiter limiter = limiters.getIfPresent(client);
        if (limiter == null || limiter.getMetrics().getAvailablePermissions() > 0) {
            return 0;
        }
        long nanos = limiter instanceof AtomicRateLimiter atomic
                ? Math.max(0, atomic.getDetailedMetrics().getNanosToWait()) : 0;
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** Counts a request of a throttled client that was refused (its token was not checked recently). */
    public void refused() {
        throttled.increment();
    }

    /** Records a failed authentication by {@code client}. */
    public void failed(String client) {
        limiters.get(client, key -> RateLimiter.of("auth-failures", config)).acquirePermission();
    }
}
