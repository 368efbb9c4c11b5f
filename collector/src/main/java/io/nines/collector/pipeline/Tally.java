package io.nines.collector.pipeline;

import java.util.EnumMap;
import java.util.Map;

/** Counts rejections while rules run; allocation only once something is rejected. */
final class Tally {

    private Map<Rejection, Integer> counts = Map.of();

    void add(Rejection reason, int items) {
        if (items == 0) {
            return;
        }
        if (counts.isEmpty()) {
            counts = new EnumMap<>(Rejection.class);
        }
        counts.merge(reason, items, Integer::sum);
    }

    boolean isEmpty() {
        return counts.isEmpty();
    }

    Map<Rejection, Integer> counts() {
        return counts;
    }
}
