package io.nines.query.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nines.core.latency.LatencyHistogram;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class QuantilesTest {

    @Test
    void echoesEachQuantileNormalisedOnceInTheOrderAsked() {
        assertThat(Quantiles.parse("0.99, .5,0.50,1.0,0,0.000").labels()).containsExactly("0.99", "0.5", "1", "0");
    }

    @Test
    void defaultsToMedianP90AndP99() {
        assertThat(Quantiles.DEFAULT.labels()).containsExactly("0.5", "0.9", "0.99");
    }

    @Test
    void rejectsQuantilesAboveOne() {
        assertThatThrownBy(() -> Quantiles.parse("0.5,1.5"))
                .isInstanceOfSatisfying(InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("quantiles"))
                .hasMessage("quantiles must be within [0, 1], was 1.5");
    }

    @Test
    void rejectsTextNegativesExponentsAndEmptyItems() {
        for (String bad : List.of("abc", "-0.5", "1e-1", "0.5,", "NaN", "0.5);DROP TABLE t;--", "0x1")) {
            assertThatThrownBy(() -> Quantiles.parse(bad)).as(bad)
                    .isInstanceOf(InvalidQueryException.class)
                    .hasMessageStartingWith("quantiles must be decimal numbers within [0, 1]");
        }
    }

    @Test
    void rejectsMoreThanTwentyQuantiles() {
        String twentyOne = String.join(",", IntStream.rangeClosed(1, 21).mapToObj(i -> "0." + (10 + i)).toList());
        assertThatThrownBy(() -> Quantiles.parse(twentyOne))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("quantiles must list at most 20 values, was 21");
    }

    @Test
    void readsQuantilesFromTheHistogramAndNullsWhenEmpty() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int ms = 1; ms <= 100; ms++) {
            histogram.record(ms);
        }
        Map<String, Double> values = Quantiles.parse("0.5,0.99").of(histogram);
        assertThat(values.keySet()).containsExactly("0.5", "0.99");
        assertThat(values.get("0.5")).isCloseTo(50.0, Percentage.withPercentage(1));
        assertThat(values.get("0.99")).isCloseTo(99.0, Percentage.withPercentage(1));

        assertThat(Quantiles.parse("0.5,0.99").of(new LatencyHistogram()))
                .containsEntry("0.5", null).containsEntry("0.99", null).hasSize(2);
    }
}
