package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.BinaryCopy;
import com.atelier.reviews.etl.copy.CopyTuple;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregates of a bulk load, built as it goes: each chunk adds its rows' counts per product (reviews) or per
 * characteristic (characteristics, characteristic values) to {@code etl_stats_product_parts} /
 * {@code etl_stats_characteristic_parts}, in the chunk's transaction, so they are exact after a crash too. At the end
 * one GROUP BY over these partial sums (a few million small rows) fills the stats tables, instead of joining the 19 M
 * characteristic values with the reviews.
 */
final class StatsParts {

    /** In a review's stats value: the rating is the low 3 bits, this bit says it is recommended. */
    static final int RECOMMENDED = 8;

    private static final List<String> PRODUCT_COLUMNS = List.of("product_id", "rating_1", "rating_2", "rating_3",
            "rating_4", "rating_5", "recommended_true", "recommended_false");
    private static final List<String> CHARACTERISTIC_COLUMNS = List.of("characteristic_id", "value_sum", "value_count");

    private StatsParts() {
    }

    /** Writes the chunk's partial sums, if its file counts in the aggregates. */
    static void write(Connection c, SourceFile source, List<LoadItem.Row> rows) throws SQLException {
        switch (source) {
            case REVIEWS -> writeProductParts(c, rows);
            case CHARACTERISTICS, CHARACTERISTIC_REVIEWS -> writeCharacteristicParts(c, rows);
            case REVIEWS_PHOTOS -> {
            }
        }
    }

    private static void writeProductParts(Connection c, List<LoadItem.Row> rows) throws SQLException {
        Map<Integer, int[]> byProduct = new HashMap<>();
        for (LoadItem.Row row : rows) {
            if (row.statsValue() == 0) {
                continue; // a reported review
            }
            int[] counts = byProduct.computeIfAbsent(row.statsKey(), k -> new int[7]);
            counts[(row.statsValue() & 7) - 1]++;
            counts[(row.statsValue() & RECOMMENDED) != 0 ? 5 : 6]++;
        }
        if (byProduct.isEmpty()) {
            return;
        }
        CopyTuple t = new CopyTuple();
        try (BinaryCopy copy = BinaryCopy.into(c, "etl_stats_product_parts", PRODUCT_COLUMNS)) {
            for (Map.Entry<Integer, int[]> e : byProduct.entrySet()) {
                t.begin(PRODUCT_COLUMNS.size()).int4(e.getKey());
                for (int n : e.getValue()) {
                    t.int4(n);
                }
                copy.write(t.toBytes());
            }
            copy.finish();
        }
    }

    private static void writeCharacteristicParts(Connection c, List<LoadItem.Row> rows) throws SQLException {
        Map<Integer, long[]> byCharacteristic = new HashMap<>();
        for (LoadItem.Row row : rows) {
            if (row.statsKey() == 0) {
                continue; // a value of a reported review
            }
            long[] sums = byCharacteristic.computeIfAbsent(row.statsKey(), k -> new long[2]);
            if (row.statsValue() != 0) { // 0: a characteristic itself, whose row starts at zero
                sums[0] += row.statsValue();
                sums[1]++;
            }
        }
        if (byCharacteristic.isEmpty()) {
            return;
        }
        CopyTuple t = new CopyTuple();
        try (BinaryCopy copy = BinaryCopy.into(c, "etl_stats_characteristic_parts", CHARACTERISTIC_COLUMNS)) {
            for (Map.Entry<Integer, long[]> e : byCharacteristic.entrySet()) {
                long[] sums = e.getValue();
                copy.write(t.begin(3).int4(e.getKey()).int8(sums[0]).int4((int) sums[1]).toBytes());
            }
            copy.finish();
        }
    }
}
