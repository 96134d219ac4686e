package com.atelier.reviews.server.core;

import com.atelier.reviews.contract.model.CharacteristicMeta;
import com.atelier.reviews.contract.model.ReviewMeta;
import com.atelier.reviews.server.db.CharacteristicTotals;
import com.atelier.reviews.server.db.RatingTotals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the precomputed totals in the legacy meta shape: counts as strings, zero counts omitted. */
public final class ReviewMetaFormatter {

    private ReviewMetaFormatter() {
    }

    public static ReviewMeta format(int productId, RatingTotals ratings, List<CharacteristicTotals> characteristics) {
        Map<String, String> byRating = new LinkedHashMap<>();
        Map<String, String> recommended = new LinkedHashMap<>();
        if (ratings != null) {
            int[] counts = {ratings.rating1(), ratings.rating2(), ratings.rating3(), ratings.rating4(), ratings.rating5()};
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    byRating.put(Integer.toString(i + 1), Integer.toString(counts[i]));
                }
            }
            if (ratings.recommendedFalse() > 0) {
                recommended.put("false", Integer.toString(ratings.recommendedFalse()));
            }
            if (ratings.recommendedTrue() > 0) {
                recommended.put("true", Integer.toString(ratings.recommendedTrue()));
            }
        }
        Map<String, CharacteristicMeta> byName = new LinkedHashMap<>();
        for (CharacteristicTotals c : characteristics) {
            // Two characteristics with one name would be one JSON key: the first (lowest id) wins.
            byName.putIfAbsent(c.name(), new CharacteristicMeta().id(c.id()).value(average(c.valueSum(), c.valueCount())));
        }
        ReviewMeta meta = new ReviewMeta().productId(Integer.toString(productId));
        meta.setRatings(byRating);
        meta.setRecommended(recommended);
        meta.setCharacteristics(byName);
        return meta;
    }

    /** PostgreSQL's AVG(integer) text for averages in 1..5: 16 digits after the point; null when nobody rated. */
    static String average(long sum, long count) {
        if (count == 0) {
            return null;
        }
        return BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(count), 16, RoundingMode.HALF_UP).toPlainString();
    }
}
