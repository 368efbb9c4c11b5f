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
 * One Resilience4j rate limiter per caller (token id), made on first use and forgotten after ten idle minutes.
 * Limiters are not registered for metrics one by one: a metric per token would grow without bound; one counter
 * counts every refusal instead.
 */
public final class RateLimits {

    /**
     * The outcome for one request, with what the IETF RateLimit headers report: the limit per window, what is left
     * of it, and the seconds until the window resets (also the {@code Retry-After} of a refusal).
     */
    public record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {}

    private final RateLimiterConfig config;
    private final Cache<String, RateLimiter> limiters;
    private final Counter refused;

    public RateLimits(int requestsPerSecond, MeterRegistry registry) {
        this.config = RateLimiterConfig.custom()
                .limitForPeriod(requestsPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
        this.limiters = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
        this.refused = Counter.builder("nines.api.rate.limited")
                .description("Requests refused with 429 because their token sent more than its limit")
                .register(registry);
    }

    public Decision acquire(String caller) {
        RateLimiter limiter = limiters.get(caller, key -> RateLimiter.of("caller", config));
        boolean allowed = limiter.acquirePermission();
        if (!allowed) {
            refused.increment();
        }
        RateLimiter.Metrics metrics = limiter.getMetrics();
        long resetNanos = limiter instanceof AtomicRateLimiter atomic
                ? Math.max(0, atomic.getDetailedMetrics().getNanosToWait()) : 0;
        long resetSeconds = Math.max(1, (resetNanos + 999_999_999L) / 1_000_000_000L);
        return new Decision(allowed, config.getLimitForPeriod(), Math.max(0, metrics.getAvailablePermissions()),
                resetSeconds);
    }
}
