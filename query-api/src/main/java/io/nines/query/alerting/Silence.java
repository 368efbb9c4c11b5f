package io.nines.query.alerting;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A silence: alerts it matches are recorded but not delivered while it is active. A maintenance window is a silence
 * that may also take its minutes out of the SLO budget ({@code excludeFromBudget}).
 *
 * <p>It is active from {@code startsAt} until {@code endsAt} (open when empty) or until it was expired; a weekly one
 * only on its days, between two local times in its zone, within those bounds.
 *
 * @param team the team whose alerts it may silence; empty for an admin's silence across teams
 */
public record Silence(String id, Optional<String> team, Kind kind, Match match, Instant startsAt,
        Optional<Instant> endsAt, Optional<Weekly> weekly, boolean excludeFromBudget, String comment,
        Instant createdAt, String createdBy, Optional<Instant> expiredAt) {

    /** A silence mutes deliveries; a maintenance window may also leave the budget untouched. */
    public enum Kind {
        SILENCE, MAINTENANCE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Which alerts it matches: every given field must equal the alert's. */
    public record Match(Optional<String> slo, Optional<String> service, Optional<String> team) {
        public Match {
            Objects.requireNonNull(slo, "slo");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(team, "team");
            if (slo.isEmpty() && service.isEmpty() && team.isEmpty()) {
                throw new IllegalArgumentException("match must name at least one of slo, service, team");
            }
        }

        boolean matches(String alertSlo, String alertService, String alertTeam) {
            return slo.map(alertSlo::equals).orElse(true) && service.map(alertService::equals).orElse(true)
                    && team.map(alertTeam::equals).orElse(true);
        }
    }

    /** Every week on {@code days}, from {@code from} until {@code to} local time in {@code zone}. */
    public record Weekly(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
        public Weekly {
            if (days == null || days.isEmpty()) {
                throw new IllegalArgumentException("weekly days must name at least one day");
            }
            days = Collections.unmodifiableSet(EnumSet.copyOf(days));
            Objects.requireNonNull(zone, "zone");
            if (from == null || to == null || !from.isBefore(to)) {
                throw new IllegalArgumentException("weekly from must be before to (a window within one day), was "
                        + from + " to " + to);
            }
        }
    }

    public Silence {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        Objects.requireNonNull(weekly, "weekly");
        Objects.requireNonNull(expiredAt, "expiredAt");
        if (endsAt.isPresent() && !endsAt.get().isAfter(startsAt)) {
            throw new IllegalArgumentException("endsAt must be after startsAt, was " + endsAt.get() + " <= " + startsAt);
        }
        if (weekly.isEmpty() && endsAt.isEmpty()) {
            throw new IllegalArgumentException("a one-off silence needs endsAt");
        }
        if (excludeFromBudget && kind != Kind.MAINTENANCE) {
            throw new IllegalArgumentException("excludeFromBudget needs kind maintenance");
        }
        comment = comment == null ? "" : comment;
    }

    public boolean matches(String slo, String service, String alertTeam) {
        return team.map(alertTeam::equals).orElse(true) && match.matches(slo, service, alertTeam);
    }

    /** Whether it silences what happens at {@code instant}. */
    public boolean activeAt(Instant instant) {
        if (instant.isBefore(startsAt) || !instant.isBefore(end())) {
            return false;
        }
        return weekly.map(w -> {
            ZonedDateTime local = instant.atZone(w.zone());
            LocalTime time = local.toLocalTime();
            return w.days().contains(local.getDayOfWeek()) && !time.isBefore(w.from()) && time.isBefore(w.to());
        }).orElse(true);
    }

    /** Whether it has ended (or was expired) by {@code now}. */
    public boolean over(Instant now) {
        return !now.isBefore(end());
    }

    /** The stretches of [from, to) during which it is active, in order. */
    public List<Range> activeWithin(Instant from, Instant to) {
        Instant lower = from.isAfter(startsAt) ? from : startsAt;
        Instant upper = to.isBefore(end()) ? to : end();
        List<Range> ranges = new ArrayList<>();
        if (!lower.isBefore(upper)) {
            return ranges;
        }
        if (weekly.isEmpty()) {
            ranges.add(new Range(lower, upper));
            return ranges;
        }
        Weekly w = weekly.get();
        LocalDate last = upper.atZone(w.zone()).toLocalDate();
        for (LocalDate day = lower.atZone(w.zone()).toLocalDate().minusDays(1); !day.isAfter(last);
                day = day.plusDays(1)) {
            if (w.days().contains(day.getDayOfWeek())) {
                Instant start = day.atTime(w.from()).atZone(w.zone()).toInstant();
                Instant end = day.atTime(w.to()).atZone(w.zone()).toInstant();
                Instant a = start.isAfter(lower) ? start : lower;
                Instant b = end.isBefore(upper) ? end : upper;
                if (a.isBefore(b)) {
                    ranges.add(new Range(a, b));
                }
            }
        }
        return ranges;
    }

    /** A half-open stretch of time [from, to). */
    public record Range(Instant from, Instant to) {
        public Range {
            if (!from.isBefore(to)) {
                throw new IllegalArgumentException("range must start before it ends, was " + from + " to " + to);
            }
        }
    }

    private Instant end() {
        Instant end = endsAt.orElse(Instant.MAX);
        return expiredAt.filter(expired -> expired.isBefore(end)).orElse(end);
    }
}
