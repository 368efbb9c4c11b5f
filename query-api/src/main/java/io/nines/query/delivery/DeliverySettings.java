package io.nines.query.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How pages are delivered.
 *
 * @param externalUrl where people open Nines: links in pages point there
 * @param topic the alert transitions topic ({@code --alerts-topic}, default {@code nines.alerts})
 * @param group the consumer group; offsets are committed only after outcomes are recorded
 * @param attemptTimeout how long one HTTP attempt may take, connection included
 * @param maxAttempts attempts per transition and target before it is recorded as failed
 * @param firstBackoff the first retry delay; each next one doubles (with 50 % jitter) up to {@code maxBackoff}
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one is cut to this
 * @param breakerMinimumCalls calls a target's breaker must see before its failure rate can open it
 * @param breakerOpenFor how long an open breaker refuses calls before it lets a trial through
 * @param perTargetConcurrency requests in flight to one target at most (its bulkhead's threads)
 * @param maxInFlight transitions received but not yet settled before the consumer pauses
 */
public record DeliverySettings(boolean enabled, String bootstrap, String externalUrl, String topic, String group, Duration attemptTimeout,
        int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration maxRetryAfter, int breakerMinimumCalls,
        Duration breakerOpenFor, int perTargetConcurrency, int maxInFlight) {

    public static final String DEFAULT_TOPIC = "nines.alerts";
    public static final String DEFAULT_GROUP = "nines-delivery";

    public DeliverySettings {
        Objects.requireNonNull(bootstrap, "bootstrap");
        Objects.requireNonNull(externalUrl, "externalUrl");
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("alerts-topic must not be blank");
        }
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("delivery group must not be blank");
        }
        positive(attemptTimeout, "attemptTimeout");
        positive(firstBackoff, "firstBackoff");
        positive(maxBackoff, "maxBackoff");
        positive(maxRetryAfter, "maxRetryAfter");
        positive(breakerOpenFor, "breakerOpenFor");
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be within [1, 100], was " + maxAttempts);
        }
        if (breakerMinimumCalls < 1) {
            throw new IllegalArgumentException("breakerMinimumCalls must be at least 1, was " + breakerMinimumCalls);
        }
        if (perTargetConcurrency < 1 || perTargetConcurrency > 64) {
            throw new IllegalArgumentException("perTargetConcurrency must be within [1, 64], was "
                    + perTargetConcurrency);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        }
    }

    /**
     * Production defaults: 10 s per attempt, 8 attempts 1 s apart doubling to 60 s (about 3 minutes in all), breakers
     * that open after half of at least 5 calls failed and stay open 30 s, 4 requests at a time per target.
     */
    public static DeliverySettings defaults(boolean enabled, String bootstrap, String externalUrl, String topic) {
        return new DeliverySettings(enabled, bootstrap, externalUrl, topic, DEFAULT_GROUP, Duration.ofSeconds(10), 8,
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(5), 5, Duration.ofSeconds(30), 4,
                1000);
    }

    private static void positive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
