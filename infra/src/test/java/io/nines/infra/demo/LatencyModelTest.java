package io.nines.infra.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.nines.infra.demo.LatencyModel.Component;
import io.nines.infra.demo.LatencyModel.LogNormal;
import io.nines.infra.demo.LatencyModel.Mixture;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyModelTest {

    private static final int SAMPLES = 200_000;

    @Test
    void logNormalHasTheGivenMedianAndP99() {
        double[] samples = sample(new LogNormal(120, 600), 7);

        assertThat(quantile(samples, 0.5)).isCloseTo(120, within(120 * 0.02));
        assertThat(quantile(samples, 0.99)).isCloseTo(600, within(600 * 0.04));
    }

    @Test
    void mixtureOfCacheHitsAndMissesIsBimodal() {
        Mixture search = new Mixture(List.of(
                new Component(0.7, new LogNormal(5, 12)),
                new Component(0.3, new LogNormal(200, 450))));

        double[] samples = sample(search, 11);

        double fast = Arrays.stream(samples).filter(ms -> ms < 50).count() / (double) SAMPLES;
        assertThat(fast).isCloseTo(0.7, within(0.005));
        assertThat(quantile(samples, 0.5)).isLessThan(15);
        assertThat(quantile(samples, 0.9)).isGreaterThan(150);
    }

    @Test
    void refusesAP99BelowTheMedian() {
        assertThatThrownBy(() -> new LogNormal(100, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("p99Millis must be > medianMillis (100.0) but was 50.0");
    }

    static double[] sample(LatencyModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] samples = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            samples[i] = model.sampleMillis(random);
        }
        return samples;
    }

    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }
}
