package com.atelier.reviews.server.db;

import java.util.List;

/**
 * Everything meta is rendered from: the product's rating totals (null when it has no stats row) and its
 * characteristics with their value totals.
 */
public record ProductTotals(RatingTotals ratings, List<CharacteristicTotals> characteristics) {

    /**
     * One row of {@link ReviewReadDao#productTotalsRows}: the rating totals (null columns when the product has no
     * stats row) repeated beside each characteristic (null columns when it has none).
     */
    public record Row(Integer rating1, Integer rating2, Integer rating3, Integer rating4, Integer rating5,
                      Integer recommendedTrue, Integer recommendedFalse,
                      Integer characteristicId, String name, long valueSum, long valueCount) {
    }

    static ProductTotals of(List<Row> rows) {
        RatingTotals ratings = null;
        if (!rows.isEmpty() && rows.get(0).rating1() != null) {
            Row r = rows.get(0);
            ratings = new RatingTotals(r.rating1(), r.rating2(), r.rating3(), r.rating4(), r.rating5(),
                    r.recommendedTrue(), r.recommendedFalse());
        }
        List<CharacteristicTotals> characteristics = rows.stream()
                .filter(r -> r.characteristicId() != null)
                .map(r -> new CharacteristicTotals(r.characteristicId(), r.name(), r.valueSum(), r.valueCount()))
                .toList();
        return new ProductTotals(ratings, characteristics);
    }
}
