package io.nines.streaming.alerting;

import io.nines.core.alerting.AlertPolicy;
import io.nines.core.alerting.AlertRule;
import io.nines.core.alerting.LatencyObservation;
import io.nines.core.alerting.LatencyRule;
import io.nines.core.latency.LatencyHistogram;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The latency sketches of one SLO's 10-second panes, for its latency rules: keyed state, pane start -> the pane's
 * {@link LatencyHistogram} buckets, open and evaluated panes alike. Only SLOs whose policy has latency rules
 * record into it, and it keeps the panes of the longest lookback of those rules (at most
 * {@link LatencyRule#LONGEST_LOOKBACK}, 360 panes), so SLOs without latency rules carry no sketches at all.
 *
 * <p>A pane's buckets are a {@code long[]} of (bucket, count) pairs sorted by bucket, Flink's primitive array
 * serializer needing no Kryo and no POJO; a 10-second pane of one service rarely spans more than a few dozen
 * buckets (each 2 % wide). A rule's quantile is read from the merge of the panes that start within its lookback,
 * which is exact for the sketch (merging bucket counts loses nothing), so it is within 1 % of the true quantile.
 */
final class LatencyPanes {

    static final MapStateDescriptor<Long, long[]> PANES = new MapStateDescriptor<>(
            "alert-latency-panes", Types.LONG, TypeInformation.of(long[].class));

    private static final long PANE = SloCounts.PANE;

    private final MapState<Long, long[]> panes;

    LatencyPanes(MapState<Long, long[]> panes) {
        this.panes = panes;
    }

    /** The latency rules of a policy; the workbook policy has none. */
    static List<LatencyRule> rulesOf(AlertPolicy policy) {
        List<LatencyRule> rules = new ArrayList<>();
        for (AlertRule rule : policy.custom()) {
            if (rule instanceof LatencyRule latency) {
                rules.add(latency);
            }
        }
        return rules;
    }

    /** The longest lookback of {@code rules}: how far back panes are kept. */
    static Duration reach(List<LatencyRule> rules) {
        Duration reach = Duration.ZERO;
        for (LatencyRule rule : rules) {
            reach = rule.lookback().compareTo(reach) > 0 ? rule.lookback() : reach;
        }
        return reach;
    }

    /**
     * Counts one span's latency in the pane that starts at {@code paneStart}; a pane that an evaluation at
     * {@code evaluatedUntil} already let go of (older than {@code reach} before it) is not kept again.
     */
    void record(long paneStart, double millis, long evaluatedUntil, Duration reach) throws Exception {
        if (paneStart < evaluatedUntil - reach.toMillis()) {
            return;
        }
        panes.put(paneStart, add(panes.get(paneStart), LatencyHistogram.bucketOf(millis)));
    }

    /**
     * What every rule sees at {@code end}: the rule's quantile over the panes that start within
     * [end - lookback, end); a rule whose lookback holds no span has no observation.
     */
    Map<LatencyRule, LatencyObservation> observe(List<LatencyRule> rules, long end) throws Exception {
        Map<Duration, LatencyHistogram> byLookback = new HashMap<>();
        for (LatencyRule rule : rules) {
            byLookback.computeIfAbsent(rule.lookback(), lookback -> new LatencyHistogram());
        }
        for (Map.Entry<Long, long[]> pane : panes.entries()) {
            long start = pane.getKey();
            if (start + PANE > end) {
                continue;
            }
            for (Map.Entry<Duration, LatencyHistogram> window : byLookback.entrySet()) {
                if (start >= end - window.getKey().toMillis()) {
                    addTo(window.getValue(), pane.getValue());
                }
            }
        }
        Map<LatencyRule, LatencyObservation> observed = new HashMap<>();
        for (LatencyRule rule : rules) {
            LatencyHistogram histogram = byLookback.get(rule.lookback());
            if (!histogram.isEmpty()) {
                observed.put(rule, LatencyObservation.of(rule, histogram.quantile(rule.quantile()),
                        histogram.count()));
            }
        }
        return observed;
    }

    /** Forgets the panes that start before {@code end - reach}: no later evaluation reaches them. */
    void evict(long end, Duration reach) throws Exception {
        List<Long> old = new ArrayList<>();
        for (Long start : panes.keys()) {
            if (start < end - reach.toMillis()) {
                old.add(start);
            }
        }
        for (Long start : old) {
            panes.remove(start);
        }
    }

    boolean isEmpty() throws Exception {
        return panes.isEmpty();
    }

    void clear() {
        panes.clear();
    }

    /** {@code pairs} with one more count in {@code bucket}: the same array, or a grown copy for a new bucket. */
    static long[] add(long[] pairs, int bucket) {
        if (pairs == null) {
            return new long[] {bucket, 1};
        }
        int low = 0;
        int high = pairs.length / 2 - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long key = pairs[2 * mid];
            if (key < bucket) {
                low = mid + 1;
            } else if (key > bucket) {
                high = mid - 1;
            } else {
                pairs[2 * mid + 1]++;
                return pairs;
            }
        }
        long[] grown = new long[pairs.length + 2];
        System.arraycopy(pairs, 0, grown, 0, 2 * low);
        grown[2 * low] = bucket;
        grown[2 * low + 1] = 1;
        System.arraycopy(pairs, 2 * low, grown, 2 * low + 2, pairs.length - 2 * low);
        return grown;
    }

    static void addTo(LatencyHistogram histogram, long[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            histogram.addToBucket((int) pairs[i], pairs[i + 1]);
        }
    }
}
