package io.nines.query.latency;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How far the rollups reach (from {@code rollup_progress}): every hour starting before {@code hours} is in
 * {@code latency_hour}, every day starting before {@code days} in {@code latency_day}. The stream rolls a day
 * only from rolled-up hours, so {@code days} never passes {@code hours}.
 */
record RollupReach(Optional<Instant> hours, Optional<Instant> days) {

    static final RollupReach NONE = new RollupReach(Optional.empty(), Optional.empty());

    RollupReach {
        if (hours == null || days == null) {
            throw new IllegalArgumentException("hours and days are required, were " + hours + ", " + days);
        }
    }

    /** A part of a range answered by one table: rows whose time is in [from, to). */
    record Segment(Resolution resolution, Instant from, Instant to) {
        Segment {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("a segment must not be empty, was " + from + " to " + to);
            }
        }
    }

    /**
     * Covers the minutes [from, to) exactly once: whole rolled-up days, then whole rolled-up hours around them,
     * then minutes at the edges and past the rollups' reach. The same minutes summed either way give the same
     * counts and buckets, since an hour is the sum of its minutes and a day of its hours.
     *
     * @param useHours whether hours may answer (false when a series step would cut them)
     * @param useDays whether days may answer
     */
    List<Segment> cover(Instant from, Instant to, boolean useHours, boolean useDays) {
        List<Segment> segments = new ArrayList<>();
        Instant hoursFrom = ceil(from, ChronoUnit.HOURS);
        Instant hoursTo = useHours && hours.isPresent() ? min(to.truncatedTo(ChronoUnit.HOURS), hours.get()) : from;
        if (!hoursFrom.isBefore(hoursTo)) {
            segments.add(new Segment(Resolution.MINUTE, from, to));
            return segments;
        }
        add(segments, Resolution.MINUTE, from, hoursFrom);
        Instant daysFrom = ceil(hoursFrom, ChronoUnit.DAYS);
        Instant daysTo = useDays && days.isPresent() ? min(hoursTo.truncatedTo(ChronoUnit.DAYS), days.get()) : from;
        if (daysFrom.isBefore(daysTo)) {
            add(segments, Resolution.HOUR, hoursFrom, daysFrom);
            add(segments, Resolution.DAY, daysFrom, daysTo);
            add(segments, Resolution.HOUR, daysTo, hoursTo);
        } else {
            add(segments, Resolution.HOUR, hoursFrom, hoursTo);
        }
        add(segments, Resolution.MINUTE, hoursTo, to);
        return segments;
    }

    private static void add(List<Segment> segments, Resolution resolution, Instant from, Instant to) {
        if (from.isBefore(to)) {
            segments.add(new Segment(resolution, from, to));
        }
    }

    private static Instant ceil(Instant instant, ChronoUnit unit) {
        Instant floor = instant.truncatedTo(unit);
        return floor.equals(instant) ? instant : floor.plus(1, unit);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
