package com.atelier.reviews.server.db;

import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Everything meta is rendered from: the product's rating totals (null when it has no stats row) and its
 * characteristics with their value totals.
 */
public record ProductTotals(RatingTotals ratings, List<CharacteristicTotals> characteristics) {

    /**
     * One row of {@link ReviewReadDao#productTotals}: the rating totals (null columns when the product has no
     * stats row) repeated beside each characteristic (null columns when it has none).
     */
    public record Row(Integer rating1, Integer rating2, Integer rating3, Integer rating4, Integer rating5,
                      Integer recommendedTrue, Integer recommendedFalse,
                      Integer characteristicId, String name, long valueSum, long valueCount) {

        /** Read straight from the ResultSet (a constructor mapper re-specializes itself on every statement). */
        public static final class Mapper implements RowMapper<Row> {
            @Override
            public Row map(ResultSet rs, StatementContext ctx) throws SQLException {
                return new Row(integer(rs, "rating_1"), integer(rs, "rating_2"), integer(rs, "rating_3"),
                        integer(rs, "rating_4"), integer(rs, "rating_5"),
                        integer(rs, "recommended_true"), integer(rs, "recommended_false"),
                        integer(rs, "characteristic_id"), rs.getString("name"),
                        rs.getLong("value_sum"), rs.getLong("value_count"));
            }

            private static Integer integer(ResultSet rs, String column) throws SQLException {
                int value = rs.getInt(column);
                return rs.wasNull() ? null : value;
            }
        }
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
