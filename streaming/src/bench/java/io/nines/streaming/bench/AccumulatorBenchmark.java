package io.nines.streaming.bench;

import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import io.nines.core.latency.LatencyHistogram;
import io.nines.streaming.latency.LatencyAccumulator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * The job's per-span path: what {@code latency per minute} does for every span ({@link LatencyAccumulator#add})
 * and for every pair of partial minutes it combines ({@link LatencyAccumulator#merge}), beside the same work done
 * with sketches-java, so the two can be compared in one run: {@link LatencyHistogram#record} (a DDSketch with an
 * unbounded dense store, as slo-core's {@code InsertBenchmark} measures it) and sketches-java's
 * {@link UnboundedSizeDenseStore} fed the same bucket index the accumulator computes.
 *
 * <p>Values are slo-core's lognormal sample (median 50 ms, sigma 1, seed 42, the same generator), 2^20 cycled;
 * one span in 20 failed. {@code *PerMinute} starts a new one every {@value #BATCH} values, as a minute does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AccumulatorBenchmark {

    static final int BATCH = 1024;
    static final int MERGED_VALUES = 10_000;

    private static final int VALUES = 1 << 20;

    private double[] millis;
    private boolean[] errors;
    private int[] buckets;
    private int next;

    private LatencyAccumulator accumulator;
    private LatencyHistogram histogram;
    private UnboundedSizeDenseStore store;

    private LatencyAccumulator accumulatorA;
    private LatencyAccumulator accumulatorB;
    private LatencyHistogram histogramA;
    private LatencyHistogram histogramB;
    private UnboundedSizeDenseStore storeA;
    private UnboundedSizeDenseStore storeB;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        millis = new double[VALUES];
        errors = new boolean[VALUES];
        buckets = new int[VALUES];
        for (int i = 0; i < VALUES; i++) {
            millis[i] = 50 * Math.exp(gaussian(random));
        }
        SplittableRandom failures = new SplittableRandom(7);
        for (int i = 0; i < VALUES; i++) {
            errors[i] = failures.nextInt(20) == 0;
            buckets[i] = LatencyHistogram.bucketOf(millis[i]);
        }
        accumulator = new LatencyAccumulator();
        histogram = new LatencyHistogram();
        store = new UnboundedSizeDenseStore();

        accumulatorA = new LatencyAccumulator();
        accumulatorB = new LatencyAccumulator();
        histogramA = new LatencyHistogram();
        histogramB = new LatencyHistogram();
        storeA = new UnboundedSizeDenseStore();
        storeB = new UnboundedSizeDenseStore();
        for (int i = 0; i < MERGED_VALUES; i++) {
            accumulatorA.add(millis[i], errors[i]);
            accumulatorB.add(millis[MERGED_VALUES + i], errors[MERGED_VALUES + i]);
            histogramA.record(millis[i]);
            histogramB.record(millis[MERGED_VALUES + i]);
            storeA.add(buckets[i]);
            storeB.add(buckets[MERGED_VALUES + i]);
        }
    }

    // The same Box-Muller as slo-core's Latencies, so the sample is value for value the one InsertBenchmark uses.
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private int nextBatch() {
        int from = next;
        next = (next + BATCH) & (VALUES - 1);
        return from;
    }

    /** The job's insert: bucket index, increment, count, errors, sum. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public LatencyAccumulator accumulatorAddSteady() {
        int from = nextBatch();
        for (int i = from; i < from + BATCH; i++) {
            accumulator.add(millis[i], errors[i]);
        }
        return accumulator;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void accumulatorAddPerMinute(Blackhole blackhole) {
        LatencyAccumulator minute = new LatencyAccumulator();
        int from = nextBatch();
        for (int i = from; i < from + BATCH; i++) {
            minute.add(millis[i], errors[i]);
        }
        blackhole.consume(minute);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public LatencyHistogram latencyHistogramRecordSteady() {
        int from = nextBatch();
        for (int i = from; i < from + BATCH; i++) {
            histogram.record(millis[i]);
        }
        return histogram;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void latencyHistogramRecordPerMinute(Blackhole blackhole) {
        LatencyHistogram minute = new LatencyHistogram();
        int from = nextBatch();
        for (int i = from; i < from + BATCH; i++) {
            minute.record(millis[i]);
        }
        blackhole.consume(minute);
    }

    /** sketches-java's store alone, with the index computed as the accumulator computes it. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public UnboundedSizeDenseStore sketchesStoreAddSteady() {
        int from = nextBatch();
        for (int i = from; i < from + BATCH; i++) {
            store.add(LatencyHistogram.bucketOf(millis[i]));
        }
        return store;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void sketchesStoreAddPerMinute(Blackhole blackhole) {
        UnboundedSizeDenseStore minute = new UnboundedSizeDenseStore();
        int from = nextBatch();
        for (int i = from; i < from + BATCH; i++) {
            minute.add(LatencyHistogram.bucketOf(millis[i]));
        }
        blackhole.consume(minute);
    }

    /** Two accumulators of {@value #MERGED_VALUES} values merged into a new one, as Flink merges partial minutes. */
    @Benchmark
    public LatencyAccumulator accumulatorMerge() {
        LatencyAccumulator merged = new LatencyAccumulator();
        merged.merge(accumulatorA);
        merged.merge(accumulatorB);
        return merged;
    }

    @Benchmark
    public LatencyHistogram latencyHistogramMerge() {
        LatencyHistogram merged = new LatencyHistogram();
        merged.merge(histogramA);
        merged.merge(histogramB);
        return merged;
    }

    @Benchmark
    public UnboundedSizeDenseStore sketchesStoreMerge() {
        UnboundedSizeDenseStore merged = new UnboundedSizeDenseStore();
        merged.mergeWith(storeA);
        merged.mergeWith(storeB);
        return merged;
    }
}
