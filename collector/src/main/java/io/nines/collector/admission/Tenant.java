package io.nines.collector.admission;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The holder of an ingest token: a team, and how many items (spans, data points, log records) per second
 * it may send across both receivers.
 */
public final class Tenant {

    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final String team;
    private final int ratePerSecond;
    private final RateLimiter limiter;

    Tenant(String team, int ratePerSecond) {
        this.team = Objects.requireNonNull(team, "team");
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("rate must be positive but was " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.limiter = RateLimiter.of("ingest-" + team, RateLimiterConfig.custom()
                .limitForPeriod(ratePerSecond).limitRefreshPeriod(PERIOD).timeoutDuration(Duration.ZERO).build());
    }

    public String team() {
        return team;
    }

    /**
     * Takes {@code items} from this second's allowance, or nothing. A request larger than a whole second's
     * allowance takes all of it, so it can pass on an idle second instead of never.
     */
    public boolean tryTake(int items) {
        return items == 0 || limiter.acquirePermission(Math.min(items, ratePerSecond));
    }

    /** When the allowance refills. */
    public Duration retryAfter() {
        return PERIOD;
    }
}
