package io.nines.core.latency.bench;

import com.tdunning.math.stats.MergingDigest;
import io.nines.core.latency.LatencyHistogram;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.HdrHistogram.Histogram;

/** LatencyHistogram and its peers, fed the same latencies so that their quantiles can be compared. */
final class SketchSet {

  /** A sketch's name and how it answers a quantile in milliseconds. */
  record Reader(String name, DoubleUnaryOperator quantile) {}

  private final LatencyHistogram latencyHistogram = new LatencyHistogram();
  private final MergingDigest tDigest = Peers.tDigest();
  private final Histogram hdrHistogram = Peers.hdrHistogram();

  void record(double millis) {
    latencyHistogram.record(millis);
    tDigest.add(millis);
    hdrHistogram.recordValue(Peers.micros(millis));
  }

  /**
   * Adds a minute's sketches. LatencyHistogram's minute goes through its stored form, the bucket map
   * that ClickHouse sums, so the report covers the whole path from stream to query.
   */
  void merge(SketchSet minute) {
    latencyHistogram.merge(LatencyHistogram.fromBuckets(minute.latencyHistogram.buckets()));
    tDigest.add(minute.tDigest);
    hdrHistogram.add(minute.hdrHistogram);
  }

  /** LatencyHistogram first: the report checks its error bound. */
  List<Reader> readers() {
    return List.of(
        new Reader("LatencyHistogram", latencyHistogram::quantile),
        new Reader("t-digest", tDigest::quantile),
        new Reader("HdrHistogram", q -> Peers.hdrQuantileMillis(hdrHistogram, q)));
  }

  /** What each sketch keeps, as a hint of what storing it costs. */
  String sizes() {
    ByteBuffer hdrBytes = ByteBuffer.allocate(hdrHistogram.getNeededByteBufferCapacity());
    return String.format("LatencyHistogram %d buckets, t-digest %d centroids, HdrHistogram %d bytes compressed",
        latencyHistogram.buckets().size(), tDigest.centroidCount(),
        hdrHistogram.encodeIntoCompressedByteBuffer(hdrBytes));
  }
}
