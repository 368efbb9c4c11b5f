package io.nines.core.latency.bench;

import com.tdunning.math.stats.MergingDigest;
import io.nines.core.latency.LatencyHistogram;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Nanoseconds to read one quantile (p50, p90, p99, p99.9 in turn) from a sketch of 1M lognormal latencies. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantileBenchmark {

  static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  private LatencyHistogram latencyHistogram;
  private MergingDigest tDigest;
  private Histogram hdrHistogram;

  @Setup
  public void setUp() {
    latencyHistogram = new LatencyHistogram();
    tDigest = Peers.tDigest();
    hdrHistogram = Peers.hdrHistogram();
    for (double millis : Latencies.LOGNORMAL.sample(1_000_000, 42)) {
      latencyHistogram.record(millis);
      tDigest.add(millis);
      hdrHistogram.recordValue(Peers.micros(millis));
    }
    tDigest.compress();
  }

  @Benchmark
  @OperationsPerInvocation(4)
  public void latencyHistogram(Blackhole blackhole) {
    for (double q : QUANTILES) {
      blackhole.consume(latencyHistogram.quantile(q));
    }
  }

  @Benchmark
  @OperationsPerInvocation(4)
  public void tDigest(Blackhole blackhole) {
    for (double q : QUANTILES) {
      blackhole.consume(tDigest.quantile(q));
    }
  }

  @Benchmark
  @OperationsPerInvocation(4)
  public void hdrHistogram(Blackhole blackhole) {
    for (double q : QUANTILES) {
      blackhole.consume(Peers.hdrQuantileMillis(hdrHistogram, q));
    }
  }
}
