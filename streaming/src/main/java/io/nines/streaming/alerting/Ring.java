package io.nines.streaming.alerting;

import java.util.Arrays;

/**
 * Good and total events of consecutive panes (pane index = start / pane length), the newest {@code slots} of
 * them, in fixed arrays: a pane's slot is its index modulo the length, cleared when a newer pane reuses it.
 * A Flink POJO (public fields, no-arg constructor) so keyed state keeps it without Kryo.
 */
public final class Ring {

    /** Before any pane: far enough from Long.MIN_VALUE that index arithmetic cannot overflow. */
    static final long NONE = Long.MIN_VALUE / 4;

    public long[] good;
    public long[] total;
    public long newest = NONE;

    public Ring() {
        this(0);
    }

    Ring(int slots) {
        good = new long[slots];
        total = new long[slots];
    }

    int slots() {
        return good.length;
    }

    /** Adds events to pane {@code index}; false when the pane is older than the ring reaches. */
    boolean add(long index, long goodEvents, long totalEvents) {
        int n = slots();
        if (n == 0 || index <= newest - n) {
            return false;
        }
        if (index > newest) {
            for (long i = Math.max(newest + 1, index - n + 1); i <= index; i++) {
                good[slot(i)] = 0;
                total[slot(i)] = 0;
            }
            newest = index;
        }
        good[slot(index)] += goodEvents;
        total[slot(index)] += totalEvents;
        return true;
    }

    /** Adds the events of panes {@code from..to} (inclusive) that the ring holds into {@code sums} {good, total}. */
    void sum(long from, long to, long[] sums) {
        long first = Math.max(from, newest - slots() + 1);
        long last = Math.min(to, newest);
        for (long i = first; i <= last; i++) {
            sums[0] += good[slot(i)];
            sums[1] += total[slot(i)];
        }
    }

    /** The same panes in a ring of {@code slots}: the newest ones that fit. */
    Ring resized(int slots) {
        Ring resized = new Ring(slots);
        if (newest == NONE) {
            return resized;
        }
        for (long i = Math.max(newest - slots() + 1, newest - slots + 1); i <= newest; i++) {
            resized.add(i, good[slot(i)], total[slot(i)]);
        }
        return resized;
    }

    private int slot(long index) {
        return (int) Math.floorMod(index, (long) slots());
    }

    @Override
    public String toString() {
        return "Ring[newest=" + newest + ", total=" + Arrays.stream(total).sum() + "]";
    }
}
