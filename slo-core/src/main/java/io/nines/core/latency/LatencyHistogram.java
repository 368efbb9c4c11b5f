package io.nines.core.latency;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.Store;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Latency in milliseconds kept as DDSketch log-bucket counts with 1 % relative accuracy.
 *
 * <p>The bucket index is the storage format: ClickHouse sums bucket maps of any minutes, services or
 * operations, and a histogram rebuilt from the sum answers every quantile within 1 % of the exact
 * value. Every writer and reader must therefore use this class's mapping, never their own.
 *
 * <p>Values under one microsecond (including zero) share {@link #ZERO_BUCKET} and read back as 0:
 * relative accuracy is meaningless there, and SDKs cannot time spans that short anyway. Not
 * thread-safe.
 */
public final class LatencyHistogram {

  /** Relative accuracy of every quantile read from a histogram: 1 %. */
  public static final double RELATIVE_ACCURACY = 0.01;

  /** Smallest latency that gets its own bucket: 1 microsecond. */
  public static final double MIN_TRACKED_MILLIS = 0.001;

  /** Bucket key of latencies under {@link #MIN_TRACKED_MILLIS}. */
  public static final int ZERO_BUCKET = Integer.MIN_VALUE;

  // Immutable and shared: the mapping is part of the stored format, so it is fixed, not configured.
  private static final IndexMapping MAPPING = new LogarithmicMapping(RELATIVE_ACCURACY);

  // Buckets that bucketOf can return. A stored key outside them comes from a corrupt or foreign row, and
  // the dense store would try to allocate the whole gap between it and the real buckets (heap exhaustion).
  private static final int MIN_BUCKET = MAPPING.index(MIN_TRACKED_MILLIS);
  private static final int MAX_BUCKET = MAPPING.index(MAPPING.maxIndexableValue());

  private final DDSketch sketch = new DDSketch(MAPPING, UnboundedSizeDenseStore::new);
  private long zeroCount;

  /** Rebuilds a histogram from stored bucket counts, e.g. a {@code sumMap} over many minutes. */
  public static LatencyHistogram fromBuckets(Map<Integer, ? extends Number> buckets) {
    LatencyHistogram histogram = new LatencyHistogram();
    buckets.forEach((bucket, count) -> histogram.addToBucket(bucket, count.longValue()));
    return histogram;
  }

  /** The bucket a latency falls in. */
  public static int bucketOf(double millis) {
    requireValidLatency(millis);
    return millis < MIN_TRACKED_MILLIS ? ZERO_BUCKET : MAPPING.index(millis);
  }

  /** Lowest latency in milliseconds that falls in {@code bucket}. */
  public static double lowerBoundMillis(int bucket) {
    return bucket == ZERO_BUCKET ? 0 : MAPPING.lowerBound(bucket);
  }

  /** Highest latency in milliseconds that falls in {@code bucket}. */
  public static double upperBoundMillis(int bucket) {
    return bucket == ZERO_BUCKET ? MIN_TRACKED_MILLIS : MAPPING.upperBound(bucket);
  }

  /** Counts one latency. */
  public void record(double millis) {
    if (bucketOf(millis) == ZERO_BUCKET) {
      zeroCount++;
    } else {
      sketch.accept(millis);
    }
  }

  /** Adds {@code count} latencies to one bucket, as when merging stored buckets. */
  public void addToBucket(int bucket, long count) {
    if (count < 0) {
      throw new IllegalArgumentException("bucket count must not be negative, was " + count);
    }
    if (bucket != ZERO_BUCKET && (bucket < MIN_BUCKET || bucket > MAX_BUCKET)) {
      throw new IllegalArgumentException(
          "bucket must be within [" + MIN_BUCKET + ", " + MAX_BUCKET + "] or the zero bucket, was " + bucket);
    }
    if (bucket == ZERO_BUCKET) {
      zeroCount += count;
    } else if (count > 0) {
      sketch.getPositiveValueStore().add(bucket, count);
    }
  }

  /** Adds every count of {@code other} to this histogram. */
  public void merge(LatencyHistogram other) {
    sketch.mergeWith(other.sketch);
    zeroCount += other.zeroCount;
  }

  public long count() {
    return zeroCount + (long) sketch.getCount();
  }

  public boolean isEmpty() {
    return count() == 0;
  }

  /**
   * The latency at quantile {@code q} in milliseconds, within 1 % of the exact value of rank
   * {@code floor(q * (count - 1))} in the sorted latencies.
   *
   * @throws IllegalStateException when the histogram is empty
   */
  public double quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile must be within [0, 1], was " + q);
    }
    if (isEmpty()) {
      throw new IllegalStateException("an empty histogram has no quantiles");
    }
    long rank = (long) Math.floor(q * (count() - 1));
    if (rank < zeroCount) {
      return 0;
    }
    long seen = zeroCount;
    Store store = sketch.getPositiveValueStore();
    var bins = store.getAscendingIterator();
    while (bins.hasNext()) {
      var bin = bins.next();
      seen += (long) bin.getCount();
      if (seen > rank) {
        return MAPPING.value(bin.getIndex());
      }
    }
    return MAPPING.value(store.getMaxIndex());
  }

  /** Non-empty buckets in ascending order of latency: the stored form. */
  public SortedMap<Integer, Long> buckets() {
    SortedMap<Integer, Long> buckets = new TreeMap<>();
    if (zeroCount > 0) {
      buckets.put(ZERO_BUCKET, zeroCount);
    }
    sketch.getPositiveValueStore().forEach((index, count) -> {
      if (count > 0) {
        buckets.put(index, (long) count);
      }
    });
    return buckets;
  }

  private static void requireValidLatency(double millis) {
    if (!(millis >= 0) || Double.isInfinite(millis)) {
      throw new IllegalArgumentException("latency must be a finite, non-negative number of ms, was " + millis);
    }
  }
}
