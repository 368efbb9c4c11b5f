package io.nines.streaming.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.core.latency.LatencyHistogram;
import java.util.SplittableRandom;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class LatencyAccumulatorTest {

    private static final double[] SPREAD = {0.0, 0.0004, 0.001, 0.5, 3.0, 42.0, 42.1, 980.0, 15_000.0, 3_600_000.0};

    @Test
    void bucketsExactlyAsLatencyHistogramDoesAcrossEveryRange() {
        LatencyAccumulator accumulator = new LatencyAccumulator();
        LatencyHistogram histogram = new LatencyHistogram();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            double millis = i < SPREAD.length ? SPREAD[i] : Math.exp(random.nextDouble(-7, 15));
            accumulator.add(millis, false);
            histogram.record(millis);
        }

        assertThat(accumulator.buckets()).isEqualTo(histogram.buckets());
        assertThat(accumulator.count()).isEqualTo(10_000);
    }

    @Test
    void mergesCountsErrorsSumsAndBuckets() {
        LatencyAccumulator fast = accumulate(false, 1.0, 2.0);
        LatencyAccumulator slow = accumulate(true, 2.0, 9_000.0, 0.0);

        fast.merge(slow);

        assertThat(fast.buckets()).isEqualTo(accumulate(false, 1.0, 2.0, 2.0, 9_000.0, 0.0).buckets());
        assertThat(fast.count()).isEqualTo(5);
        assertThat(fast.errors()).isEqualTo(3);
        assertThat(fast.sumMillis()).isEqualTo(9_005.0);
        assertThat(LatencyHistogram.fromBuckets(fast.buckets()).count()).isEqualTo(5);
    }

    @Test
    void mergesRangesBelowAboveAndAroundItsOwnAsAddingEachValueWould() {
        double[] middle = {40.0, 50.0, 60.0};
        double[] below = {0.002, 0.01, 0.5};
        double[] above = {30_000.0, 600_000.0, 3_600_000.0};
        LatencyAccumulator merged = accumulate(false, middle);
        merged.merge(accumulate(true, below));
        merged.merge(accumulate(false, above));
        merged.merge(new LatencyAccumulator());
        LatencyAccumulator intoEmpty = new LatencyAccumulator();
        intoEmpty.merge(merged);

        LatencyAccumulator everyValue = accumulate(false, 40.0, 50.0, 60.0, 0.002, 0.01, 0.5, 30_000.0, 600_000.0,
                3_600_000.0);
        assertThat(merged.buckets()).isEqualTo(everyValue.buckets()).hasSize(9);
        assertThat(intoEmpty.buckets()).isEqualTo(everyValue.buckets());
        assertThat(intoEmpty.count()).isEqualTo(9);
        assertThat(intoEmpty.errors()).isEqualTo(3);
    }

    @Test
    void flinkKeepsItWithItsOwnSerializerNotKryo() {
        assertThat(TypeInformation.of(LatencyAccumulator.class).createSerializer(new SerializerConfigImpl()))
                .isInstanceOf(LatencyAccumulatorSerializer.class);
    }

    @Test
    void serializerRoundTripsAndCopiesIndependently() throws Exception {
        LatencyAccumulator original = accumulate(true, SPREAD);
        LatencyAccumulatorSerializer serializer = new LatencyAccumulatorSerializer();

        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(original, out);
        LatencyAccumulator restored = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        LatencyAccumulator copy = serializer.copy(original);
        copy.add(5.0, false);

        assertThat(restored).isEqualTo(original);
        assertThat(restored.buckets()).isEqualTo(original.buckets());
        assertThat(original.count()).isEqualTo(SPREAD.length);
        assertThat(copy.count()).isEqualTo(SPREAD.length + 1);
        assertThat(serializer.snapshotConfiguration().restoreSerializer()).isEqualTo(serializer);
    }

    @Test
    void serializesAnEmptyAccumulator() throws Exception {
        LatencyAccumulatorSerializer serializer = new LatencyAccumulatorSerializer();
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(new LatencyAccumulator(), out);

        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(new LatencyAccumulator());
    }

    private static LatencyAccumulator accumulate(boolean error, double... millis) {
        LatencyAccumulator accumulator = new LatencyAccumulator();
        for (double value : millis) {
            accumulator.add(value, error);
        }
        return accumulator;
    }

    @Test
    void saturatesInsteadOfOverflowingWhenHostileMetricPointsAddUpPast2To63() {
        LatencyAccumulator minute = new LatencyAccumulator();
        int bucket = io.nines.core.latency.LatencyHistogram.bucketOf(100.0);
        minute.addBuckets(java.util.Map.of(bucket, 1L << 62), 1L << 62, 1.0);
        minute.addBuckets(java.util.Map.of(bucket, 1L << 62), 1L << 62, 1.0);
        minute.addBuckets(java.util.Map.of(bucket, 1L), 1L, 1.0);

        assertThat(minute.count()).isEqualTo(Long.MAX_VALUE);
        assertThat(minute.errors()).isEqualTo(Long.MAX_VALUE);
        assertThat(minute.buckets()).containsExactly(java.util.Map.entry(bucket, Long.MAX_VALUE));
        // what the window makes of it must stay a valid row, not an exception replayed forever
        assertThat(new io.nines.streaming.metrics.MetricLatencyMinute("cart", "GET /cart", "http.server.duration",
                0, minute.count(), minute.errors(), minute.sumMillis(), minute.buckets()).count())
                .isEqualTo(Long.MAX_VALUE);
    }
}
