package io.nines.query.latency;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A half-open range of event time. Data is kept per minute, so the range covers every minute that starts at
 * or after {@code from} floored to its minute and before {@code to}.
 */
public record TimeRange(Instant from, Instant to) {

    /** Keeps a single query from scanning years of minutes. */
    public static final Duration MAX_LENGTH = Duration.ofDays(400);

    public TimeRange {
        if (from == null || to == null) {
            throw new IllegalArgumentException("from and to are required, were " + from + " and " + to);
        }
        if (!from.isBefore(to)) {
            throw new InvalidQueryException("from", "from must be before to, was from=" + from + " to=" + to);
        }
        if (Duration.between(from, to).compareTo(MAX_LENGTH) > 0) {
            throw new InvalidQueryException("from", "the range from " + from + " to " + to
                    + " is longer than the limit of " + MAX_LENGTH.toDays() + " days");
        }
    }

    /** The first minute in the range. */
    public Instant firstMinute() {
        return from.truncatedTo(ChronoUnit.MINUTES);
    }

    /** The first minute after the range: a minute is in the range when it starts before {@code to}. */
    public Instant endMinute() {
        Instant floor = to.truncatedTo(ChronoUnit.MINUTES);
        return floor.equals(to) ? to : floor.plus(1, ChronoUnit.MINUTES);
    }
}
