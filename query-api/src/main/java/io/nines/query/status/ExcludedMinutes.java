package io.nines.query.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Excluded stretches as whole minutes: a minute is excluded when it starts within a stretch. */
final class ExcludedMinutes {

    private ExcludedMinutes() {}

    /** Minute-aligned, sorted, non-overlapping ranges covering every minute that starts within a range. */
    static List<MinuteRepository.Minutes> merge(List<BudgetExclusions.Range> ranges) {
        List<MinuteRepository.Minutes> aligned = new ArrayList<>();
        ranges.stream().sorted(Comparator.comparing(BudgetExclusions.Range::from)).forEach(range -> {
            Instant from = BudgetWindow.ceil(range.from());
            Instant to = BudgetWindow.ceil(range.to());
            if (!from.isBefore(to)) {
                return;
            }
            int last = aligned.size() - 1;
            if (last >= 0 && !from.isAfter(aligned.get(last).to())) {
                Instant end = to.isAfter(aligned.get(last).to()) ? to : aligned.get(last).to();
                aligned.set(last, new MinuteRepository.Minutes(aligned.get(last).from(), end));
            } else {
                aligned.add(new MinuteRepository.Minutes(from, to));
            }
        });
        return aligned;
    }

    /** How many of {@code merged}'s minutes lie within {@code window}. */
    static long within(List<MinuteRepository.Minutes> merged, MinuteRepository.Minutes window) {
        long minutes = 0;
        for (MinuteRepository.Minutes range : merged) {
            Instant from = range.from().isAfter(window.from()) ? range.from() : window.from();
            Instant to = range.to().isBefore(window.to()) ? range.to() : window.to();
            if (from.isBefore(to)) {
                minutes += Duration.between(from, to).toMinutes();
            }
        }
        return minutes;
    }
}
