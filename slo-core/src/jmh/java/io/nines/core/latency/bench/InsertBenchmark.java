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

/**
 * Nanoseconds to count one latency, on the same pre-generated lognormal values for every sketch.
 *
 * <p>{@code *Steady} records into one long-lived sketch (a busy series: the store has grown to its
 * range). {@code *PerMinute} starts a new sketch for every {@value #BATCH} values, as a sketch kept
 * per service, operation and minute would, so allocation and store growth are part of the figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InsertBenchmark {

  static final int BATCH = 1024;

  // Too many values for the branch predictor to learn their order; cycled so that RNG cost stays out of the figure.
  private static final int VALUES = 1 << 20;

  private double[] millis;
  private long[] micros;
  private int next;

  private LatencyHistogram latencyHistogram;
  private MergingDigest tDigest;
  private Histogram hdrHistogram;

  @Setup
  public void setUp() {
    millis = Latencies.LOGNORMAL.sample(VALUES, 42);
    micros = new long[VALUES];
    for (int i = 0; i < VALUES; i++) {
      micros[i] = Peers.micros(millis[i]);
    }
    latencyHistogram = new LatencyHistogram();
    tDigest = Peers.tDigest();
    hdrHistogram = Peers.hdrHistogram();
  }

  /** The first value of the next batch; batches tile the array because BATCH divides VALUES. */
  private int nextBatch() {
    int from = next;
    next = (next + BATCH) & (VALUES - 1);
    return from;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public LatencyHistogram latencyHistogramSteady() {
    int from = nextBatch();
    for (int i = from; i < from + BATCH; i++) {
      latencyHistogram.record(millis[i]);
    }
    return latencyHistogram;
  }

  /** The mapping alone: the stream's own accumulator pays this plus an array increment per span. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int latencyHistogramBucketOf() {
    int from = nextBatch();
    int sum = 0; // returned, so the JIT cannot drop the mapping; cheaper than a Blackhole call per value
    for (int i = from; i < from + BATCH; i++) {
      sum += LatencyHistogram.bucketOf(millis[i]);
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public MergingDigest tDigestSteady() {
    int from = nextBatch();
    for (int i = from; i < from + BATCH; i++) {
      tDigest.add(millis[i]);
    }
    return tDigest;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Histogram hdrHistogramSteady() {
    int from = nextBatch();
    for (int i = from; i < from + BATCH; i++) {
      hdrHistogram.recordValue(micros[i]);
    }
    return hdrHistogram;
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void latencyHistogramPerMinute(Blackhole blackhole) {
    LatencyHistogram minute = new LatencyHistogram();
    int from = nextBatch();
    for (int i = from; i < from + BATCH; i++) {
      minute.record(millis[i]);
    }
    blackhole.consume(minute);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void tDigestPerMinute(Blackhole blackhole) {
    MergingDigest minute = Peers.tDigest();
    int from = nextBatch();
    for (int i = from; i < from + BATCH; i++) {
      minute.add(millis[i]);
    }
    // t-digest only buffers values until it compresses; a minute must be compressed before it is stored.
    minute.compress();
    blackhole.consume(minute);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void hdrHistogramPerMinute(Blackhole blackhole) {
    Histogram minute = Peers.hdrHistogram();
    int from = nextBatch();
    for (int i = from; i < from + BATCH; i++) {
      minute.recordValue(micros[i]);
    }
    blackhole.consume(minute);
  }
}
