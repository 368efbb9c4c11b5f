package io.nines.streaming.alerting;

import io.nines.core.alerting.BurnRateRule;
import java.time.Duration;

/**
 * Good and total events of one SLO in event-time panes: 10-second panes for the last hour (so burn rates
 * over windows up to an hour move every 10 seconds), 1-minute panes for the last three days (the longest
 * burn-rate window), and 1-hour panes over the SLO's window for its budget. Bounded: 360 + 4320 panes plus
 * one per hour of the SLO window (at most 400 days). A Flink POJO.
 *
 * <p>A window [end - L, end) sums the panes that start within it: 10-second panes for L up to 1 h (exact,
 * since evaluations happen at 10-second boundaries), minute panes beyond (the current minute's closed
 * 10-second panes included, the oldest minute only when it starts within the window, so such a window
 * reaches back between L - 50 s and L), hour panes for the budget.
 */
public final class SloCounts {

    static final long PANE = 10_000;
    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;
    static final Duration FINE_REACH = Duration.ofHours(1);
    static final int MAX_HOURS = 400 * 24 + 1;

    public Ring fine = new Ring((int) (FINE_REACH.toMillis() / PANE));
    public Ring minutes = new Ring((int) (BurnRateRule.LONGEST_WINDOW.toMillis() / MINUTE));
    public Ring hours = new Ring(0);
    /** End of the newest pane that held events, to know when the SLO has been silent for three days. */
    public long lastEventPaneEnd = Ring.NONE;

    public SloCounts() {
    }

    /**
     * Folds one closed 10-second pane into every ring that reaches it.
     *
     * @return false when the pane is older than every ring (events too late for alerting)
     */
    boolean add(long paneStart, long good, long total) {
        boolean kept = fine.add(Math.floorDiv(paneStart, PANE), good, total);
        kept |= minutes.add(Math.floorDiv(paneStart, MINUTE), good, total);
        kept |= hours.add(Math.floorDiv(paneStart, HOUR), good, total);
        lastEventPaneEnd = Math.max(lastEventPaneEnd, paneStart + PANE);
        return kept;
    }

    /** {good, total} over [end - lookback, end); {@code end} is a pane boundary. */
    long[] over(Duration lookback, long end) {
        long[] sums = new long[2];
        long from = end - lookback.toMillis();
        if (lookback.compareTo(FINE_REACH) <= 0) {
            fine.sum(Math.floorDiv(from + PANE - 1, PANE), Math.floorDiv(end, PANE) - 1, sums);
        } else {
            minutes.sum(Math.floorDiv(from + MINUTE - 1, MINUTE), Math.floorDiv(end - 1, MINUTE), sums);
        }
        return sums;
    }

    /** {good, total} of the hour panes that start within [start, end), for the budget. */
    long[] budgetWindow(long start, long end) {
        long[] sums = new long[2];
        hours.sum(Math.floorDiv(start + HOUR - 1, HOUR), Math.floorDiv(end - 1, HOUR), sums);
        return sums;
    }

    /** Makes the hour ring reach over a window of {@code length}, keeping the hours it holds. */
    void reachBudgetOver(Duration length) {
        int slots = (int) Math.min(MAX_HOURS, length.toMillis() / HOUR + 2);
        if (hours.slots() != slots) {
            hours = hours.resized(slots);
        }
    }
}
