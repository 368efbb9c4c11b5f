package io.nines.streaming.latency;

import io.nines.core.latency.LatencyHistogram;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The running state of one operation's minute, in {@link LatencyHistogram}'s bucket mapping.
 *
 * <p>Counts live in a dense {@code long[]} over a sliding index range instead of a DDSketch, so adding a
 * span costs an index computation and an increment (the array only grows when a latency falls outside
 * every range seen so far), and Flink serializes it with {@link LatencyAccumulatorSerializer} rather than
 * Kryo walking sketch internals.
 *
 * <p>The array is what sketches-java's {@code UnboundedSizeDenseStore} keeps too; it is not used here because its
 * counts are doubles (exact only up to 2^53, and they would round silently where this saturates visibly, see
 * {@link #saturated}), the columns it feeds are UInt64, and it would be no faster per span
 * (docs/benchmarks.md, "The job's per-span path").
 */
@TypeInfo(LatencyAccumulatorTypeInfoFactory.class)
public final class LatencyAccumulator {

    private static final int INITIAL_CAPACITY = 64;

    private long count;
    private long errors;
    private double sumMillis;
    private long zeroCount;
    private int firstIndex;
    private long[] counts;

    public void add(double millis, boolean error) {
        int bucket = LatencyHistogram.bucketOf(millis);
        addToBucket(bucket, 1);
        count++;
        sumMillis += millis;
        if (error) {
            errors++;
        }
    }

    /**
     * Adds observations already mapped to buckets, as from a histogram metric, {@code errors} of them failed.
     *
     * @param buckets {@link LatencyHistogram} bucket to count
     */
    public void addBuckets(Map<Integer, Long> buckets, long errors, double sumMillis) {
        for (Map.Entry<Integer, Long> bucket : buckets.entrySet()) {
            addToBucket(bucket.getKey(), bucket.getValue());
            count = saturated(count, bucket.getValue());
        }
        this.errors = saturated(this.errors, errors);
        this.sumMillis += sumMillis;
    }

    public void merge(LatencyAccumulator other) {
        count = saturated(count, other.count);
        errors = saturated(errors, other.errors);
        sumMillis += other.sumMillis;
        zeroCount = saturated(zeroCount, other.zeroCount);
        if (other.counts == null) {
            return;
        }
        long[] theirs = other.counts;
        int low = 0;
        while (low < theirs.length && theirs[low] == 0) {
            low++;
        }
        if (low == theirs.length) {
            return;
        }
        int high = theirs.length - 1;
        while (theirs[high] == 0) {
            high--;
        }
        // Grows at most twice, to both ends of their non-empty range, then adds array to array: a bucket at a
        // time (a range check and possible growth per bucket) made merging 3x slower than sketches-java's store.
        addToBucket(other.firstIndex + low, 0);
        addToBucket(other.firstIndex + high, 0);
        int shift = other.firstIndex - firstIndex;
        for (int i = low; i <= high; i++) {
            counts[i + shift] = saturated(counts[i + shift], theirs[i]);
        }
    }

    public long count() {
        return count;
    }

    public long errors() {
        return errors;
    }

    public double sumMillis() {
        return sumMillis;
    }

    /** Non-empty buckets in ascending order: {@link LatencyHistogram#buckets()}'s stored form. */
    public SortedMap<Integer, Long> buckets() {
        SortedMap<Integer, Long> buckets = new TreeMap<>();
        if (zeroCount > 0) {
            buckets.put(LatencyHistogram.ZERO_BUCKET, zeroCount);
        }
        if (counts != null) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    buckets.put(firstIndex + i, counts[i]);
                }
            }
        }
        return buckets;
    }

    /** Writes the sparse form: totals, then each non-empty bucket as (index, count). */
    void writeTo(DataOutputView out) throws IOException {
        out.writeLong(count);
        out.writeLong(errors);
        out.writeDouble(sumMillis);
        out.writeLong(zeroCount);
        int buckets = 0;
        if (counts != null) {
            for (long c : counts) {
                buckets += c != 0 ? 1 : 0;
            }
        }
        out.writeInt(buckets);
        if (counts != null) {
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    out.writeInt(firstIndex + i);
                    out.writeLong(counts[i]);
                }
            }
        }
    }

    static LatencyAccumulator readFrom(DataInputView in) throws IOException {
        LatencyAccumulator accumulator = new LatencyAccumulator();
        accumulator.count = in.readLong();
        accumulator.errors = in.readLong();
        accumulator.sumMillis = in.readDouble();
        accumulator.zeroCount = in.readLong();
        int buckets = in.readInt();
        for (int i = 0; i < buckets; i++) {
            accumulator.addToBucket(in.readInt(), in.readLong());
        }
        return accumulator;
    }

    LatencyAccumulator copy() {
        LatencyAccumulator copy = new LatencyAccumulator();
        copy.count = count;
        copy.errors = errors;
        copy.sumMillis = sumMillis;
        copy.zeroCount = zeroCount;
        copy.firstIndex = firstIndex;
        copy.counts = counts == null ? null : counts.clone();
        return copy;
    }

    private void addToBucket(int bucket, long n) {
        if (bucket == LatencyHistogram.ZERO_BUCKET) {
            zeroCount = saturated(zeroCount, n);
            return;
        }
        if (counts == null) {
            counts = new long[INITIAL_CAPACITY];
            firstIndex = bucket - INITIAL_CAPACITY / 2;
        } else if (bucket < firstIndex || bucket >= firstIndex + counts.length) {
            grow(bucket);
        }
        counts[bucket - firstIndex] = saturated(counts[bucket - firstIndex], n);
    }

    /**
     * {@code a + b}, or {@link Long#MAX_VALUE} where that overflows. The decoder bounds each histogram point, but
     * many points of one minute could still pass 2^63; an exception here would be thrown again on every replay and
     * crash-loop the job, so an absurd minute stays absurd (and visibly so) instead. Spans never come near it.
     */
    private static long saturated(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    // Doubles past the needed range, so a minute with widely spread latencies grows a handful of times.
    private void grow(int bucket) {
        int low = Math.min(firstIndex, bucket);
        int high = Math.max(firstIndex + counts.length - 1, bucket);
        int needed = high - low + 1;
        int capacity = Math.max(needed + INITIAL_CAPACITY, counts.length * 2);
        int newFirst = bucket < firstIndex ? high - capacity + 1 : low;
        long[] grown = new long[capacity];
        System.arraycopy(counts, 0, grown, firstIndex - newFirst, counts.length);
        counts = grown;
        firstIndex = newFirst;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LatencyAccumulator that && count == that.count && errors == that.errors
                && Double.compare(sumMillis, that.sumMillis) == 0 && buckets().equals(that.buckets());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + buckets().hashCode();
    }

    @Override
    public String toString() {
        return "LatencyAccumulator[count=" + count + ", errors=" + errors + ", sumMillis=" + sumMillis
                + ", buckets=" + buckets() + "]";
    }
}
