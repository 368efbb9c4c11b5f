package io.nines.infra.demo;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A recurring error burst in one service, for alerting demos: during the last {@code length} of every
 * {@code every}, the service fails {@code errorRate} of its requests and is {@code slowdown} times slower.
 */
record Incident(String service, Duration every, Duration length, double errorRate, double slowdown) {

    Incident {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(length, "length");
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("every must be positive but was " + every);
        }
        if (length.isNegative() || length.isZero() || length.compareTo(every) >= 0) {
            throw new IllegalArgumentException("length must be positive and shorter than every (" + every
                    + ") but was " + length);
        }
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be in [0, 1] but was " + errorRate);
        }
        if (!(slowdown >= 1)) {
            throw new IllegalArgumentException("slowdown must be >= 1 but was " + slowdown);
        }
    }

    /** Whether the burst is on {@code elapsed} after the generator started. */
    boolean activeAt(Duration elapsed) {
        long intoPeriod = elapsed.toMillis() % every.toMillis();
        return intoPeriod >= every.toMillis() - length.toMillis();
    }

    /** The incident if it is on at {@code elapsed}. */
    static Optional<Incident> activeAt(Optional<Incident> incident, Duration elapsed) {
        return incident.filter(i -> i.activeAt(elapsed));
    }
}
