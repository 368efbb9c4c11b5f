package io.nines.core.latency.bench;

import com.tdunning.math.stats.MergingDigest;
import io.nines.core.latency.LatencyHistogram;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Microseconds to merge two sketches of {@value #VALUES} lognormal latencies each into a new one: what
 * a query does for every pair of minutes, series or operations it combines.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MergeBenchmark {

  static final int VALUES = 10_000;

  private LatencyHistogram latencyHistogramA;
  private LatencyHistogram latencyHistogramB;
  private MergingDigest tDigestA;
  private MergingDigest tDigestB;
  private Histogram hdrHistogramA;
  private Histogram hdrHistogramB;

  @Setup
  public void setUp() {
    double[] millis = Latencies.LOGNORMAL.sample(2 * VALUES, 42);
    latencyHistogramA = new LatencyHistogram();
    latencyHistogramB = new LatencyHistogram();
    tDigestA = Peers.tDigest();
    tDigestB = Peers.tDigest();
    hdrHistogramA = Peers.hdrHistogram();
    hdrHistogramB = Peers.hdrHistogram();
    for (int i = 0; i < VALUES; i++) {
      latencyHistogramA.record(millis[i]);
      latencyHistogramB.record(millis[VALUES + i]);
      tDigestA.add(millis[i]);
      tDigestB.add(millis[VALUES + i]);
      hdrHistogramA.recordValue(Peers.micros(millis[i]));
      hdrHistogramB.recordValue(Peers.micros(millis[VALUES + i]));
    }
    // as stored: merging must not pay for compressing the inputs' buffers
    tDigestA.compress();
    tDigestB.compress();
  }

  @Benchmark
  public LatencyHistogram latencyHistogram() {
    LatencyHistogram merged = new LatencyHistogram();
    merged.merge(latencyHistogramA);
    merged.merge(latencyHistogramB);
    return merged;
  }

  @Benchmark
  public MergingDigest tDigest() {
    MergingDigest merged = Peers.tDigest();
    merged.add(List.of(tDigestA, tDigestB));
    merged.compress();
    return merged;
  }

  @Benchmark
  public Histogram hdrHistogram() {
    Histogram merged = Peers.hdrHistogram();
    merged.add(hdrHistogramA);
    merged.add(hdrHistogramB);
    return merged;
  }
}
