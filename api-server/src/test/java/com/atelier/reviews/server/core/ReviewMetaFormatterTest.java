package com.atelier.reviews.server.core;

import com.atelier.reviews.contract.model.ReviewMeta;
import com.atelier.reviews.server.db.CharacteristicTotals;
import com.atelier.reviews.server.db.RatingTotals;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The legacy meta shape from the totals, without HTTP or a database (ReviewsEndpointsTest checks it end to end). */
class ReviewMetaFormatterTest {

    @Test
    void countsAreStringsAndZeroCountsAreLeftOut() {
        ReviewMeta meta = ReviewMetaFormatter.format(2, new RatingTotals(0, 1, 1, 2, 1, 3, 2), List.of());

        assertThat(meta.getProductId()).isEqualTo("2");
        assertThat(meta.getRatings()).containsExactly(entry("2", "1"), entry("3", "1"), entry("4", "2"), entry("5", "1"));
        assertThat(meta.getRecommended()).containsExactly(entry("false", "2"), entry("true", "3"));
        assertThat(meta.getCharacteristics()).isEmpty();
    }

    @Test
    void aProductWithoutStatsHasEmptyMapsButItsCharacteristicsWithNullValues() {
        ReviewMeta meta = ReviewMetaFormatter.format(7, null, List.of(new CharacteristicTotals(11, "Fit", 0, 0)));

        assertThat(meta.getRatings()).isEmpty();
        assertThat(meta.getRecommended()).isEmpty();
        assertThat(meta.getCharacteristics()).containsOnlyKeys("Fit");
        assertThat(meta.getCharacteristics().get("Fit").getId()).isEqualTo(11);
        assertThat(meta.getCharacteristics().get("Fit").getValue()).isNull();
    }

    @Test
    void averagesReadLikePostgresqlAvgOfIntegers() {
        assertThat(ReviewMetaFormatter.average(21, 5)).isEqualTo("4.2000000000000000");
        assertThat(ReviewMetaFormatter.average(10, 3)).isEqualTo("3.3333333333333333");
        assertThat(ReviewMetaFormatter.average(11, 3)).isEqualTo("3.6666666666666667"); // half up, as numeric
        assertThat(ReviewMetaFormatter.average(5, 1)).isEqualTo("5.0000000000000000");
        assertThat(ReviewMetaFormatter.average(0, 0)).isNull();
    }

    @Test
    void ofTwoCharacteristicsWithOneNameTheFirstWinsAndOrderIsKept() {
        ReviewMeta meta = ReviewMetaFormatter.format(3, new RatingTotals(0, 0, 0, 0, 1, 1, 0), List.of(
                new CharacteristicTotals(20, "Size", 8, 2), new CharacteristicTotals(21, "Fit", 3, 1),
                new CharacteristicTotals(22, "Size", 1, 1)));

        assertThat(meta.getCharacteristics().keySet()).containsExactly("Size", "Fit");
        assertThat(meta.getCharacteristics().get("Size").getId()).isEqualTo(20);
        assertThat(meta.getCharacteristics().get("Size").getValue()).isEqualTo("4.0000000000000000");
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
