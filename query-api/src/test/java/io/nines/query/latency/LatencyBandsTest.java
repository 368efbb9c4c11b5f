package io.nines.query.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.nines.core.latency.LatencyHistogram;
import org.junit.jupiter.api.Test;

class LatencyBandsTest {

    @Test
    void fitsEveryBucketOfTheExtentIntoAtMostTheLimitOfBands() {
        for (int limit = 2; limit <= 40; limit++) {
            for (int lowest : new int[] {-700, -1, 0, 5, 333}) {
                for (int span : new int[] {1, 2, 39, 40, 41, 117, 1200}) {
                    for (boolean zero : new boolean[] {false, true}) {
                        LatencyBands bands = LatencyBands.covering(lowest, lowest + span - 1, true, zero, limit);
                        String what = "limit " + limit + ", buckets " + lowest + "+" + span + ", zero " + zero;
                        assertThat(bands.bands()).as(what).hasSizeLessThanOrEqualTo(limit);
                        assertThat(bands.first()).as(what).isLessThanOrEqualTo(lowest);
                        assertThat(bands.first() + (long) bands.count() * bands.width()).as(what)
                                .isGreaterThan(lowest + span - 1);
                    }
                }
            }
        }
    }

    @Test
    void usesSingleBucketsWhenTheyFitAndAlignsWiderBandsToTheirWidth() {
        LatencyBands narrow = LatencyBands.covering(100, 129, true, false, 40);
        assertThat(narrow.width()).isEqualTo(1);
        assertThat(narrow.count()).isEqualTo(30);

        LatencyBands wide = LatencyBands.covering(101, 300, true, false, 30);
        assertThat(wide.width()).isEqualTo(7);
        assertThat(wide.first()).isEqualTo(98);
        assertThat(wide.count()).isEqualTo(29);
    }

    @Test
    void boundsFollowTheSketchMappingAndAdjacentBandsTouch() {
        LatencyBands bands = LatencyBands.covering(LatencyHistogram.bucketOf(40), LatencyHistogram.bucketOf(900), true,
                false, 30);
        var list = bands.bands();
        assertThat(list.get(0).lowerMs()).isLessThanOrEqualTo(40);
        assertThat(list.get(list.size() - 1).upperMs()).isGreaterThanOrEqualTo(900);
        for (int i = 1; i < list.size(); i++) {
            assertThat(list.get(i).lowerMs()).isCloseTo(list.get(i - 1).upperMs(),
                    org.assertj.core.data.Percentage.withPercentage(1e-9));
        }
    }

    @Test
    void givesTheZeroBucketABandOfItsOwnBelowTheOthers() {
        LatencyBands onlyZero = LatencyBands.covering(0, 0, false, true, 30);
        assertThat(onlyZero.bands()).singleElement()
                .satisfies(band -> assertThat(band.lowerMs()).isZero())
                .satisfies(band -> assertThat(band.upperMs()).isEqualTo(LatencyHistogram.MIN_TRACKED_MILLIS));
        LatencyBands both = LatencyBands.covering(10, 10, true, true, 2);
        assertThat(both.bands()).hasSize(2);
        assertThat(both.row(-1)).isZero();
        assertThat(both.row(0)).isEqualTo(1);
        assertThat(LatencyBands.covering(0, 0, false, false, 30).bands()).isEmpty();
    }
}
