package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.BinaryCopy;
import com.atelier.reviews.etl.copy.CopyTuple;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The aggregates of a bulk load, counted in memory by the validators as they accept rows, so that after the load one
 * COPY fills {@code product_review_stats} and {@code characteristic_stats}: counting beside validation costs next to
 * nothing, while summing in the database costs a pass over the raw rows (a third of the load's database time at
 * full scale).
 *
 * <p>Exact only when this process saw every accepted row of reviews.csv and characteristic_reviews.csv: both steps
 * completed in this run, from its first line or after a replay of
 * its committed part (which validates, and so counts, those rows again). {@link #complete()} says so; otherwise (a
 * step completed by an earlier, interrupted run) the caller recomputes the aggregates from the tables.
 *
 * <p>Each counter is written by one parse-ahead thread only (reviews: products; characteristic values:
 * characteristics), and read after its step ended.
 */
public final class BulkAggregates {

    private static final List<String> PRODUCT_COLUMNS = List.of("product_id", "rating_1", "rating_2", "rating_3",
            "rating_4", "rating_5", "recommended_true", "recommended_false");
    private static final List<String> CHARACTERISTIC_COLUMNS = List.of("characteristic_id", "value_sum", "value_count");
    /** The files with counts (the characteristics themselves are their ids, known from the table). */
    private static final Set<SourceFile> COUNTED = EnumSet.of(SourceFile.REVIEWS, SourceFile.CHARACTERISTIC_REVIEWS);

    /** Per product: rating 1..5, recommended, not recommended. */
    private final PagedCounters products = new PagedCounters(7);
    /** Per characteristic: sum of values, number of values. */
    private final PagedCounters characteristics = new PagedCounters(2);
    private final Set<SourceFile> completed = EnumSet.noneOf(SourceFile.class);

    /** An accepted review that is not reported: its rating (1..5) and recommendation count for its product. */
    void countReview(int productId, int rating, boolean recommended) {
        products.add(productId, rating - 1, 1);
        products.add(productId, recommended ? 5 : 6, 1);
    }

    /** An accepted value (1..5) of a review that is not reported: it counts for its characteristic. */
    void countValue(int characteristicId, int value) {
        characteristics.add(characteristicId, 0, value);
        characteristics.add(characteristicId, 1, 1);
    }

    /** The step of {@code source} completed in this run: its validator counted every accepted row of the file. */
    public synchronized void completed(SourceFile source) {
        completed.add(source);
    }

    /** True when every file that counts was counted whole by this process. */
    public synchronized boolean complete() {
        return completed.containsAll(COUNTED);
    }

    /** Writes {@code product_review_stats} (the caller emptied it): a row per product with a counted review. */
    public long writeProducts(Connection c) throws SQLException {
        CopyTuple t = new CopyTuple();
        try (BinaryCopy copy = BinaryCopy.into(c, "product_review_stats", PRODUCT_COLUMNS)) {
            products.forEachKey(product -> {
                t.begin(PRODUCT_COLUMNS.size()).int4(product);
                for (int i = 0; i < 7; i++) {
                    t.int4((int) products.get(product, i));
                }
                write(copy, t);
            });
            return copy.finish();
        }
    }

    /**
     * Writes {@code characteristic_stats} (the caller emptied it): a row per characteristic in
     * {@code characteristicIds} (the loaded characteristics), zero when it has no counted value.
     */
    public long writeCharacteristics(Connection c, IdSet characteristicIds) throws SQLException {
        CopyTuple t = new CopyTuple();
        try (BinaryCopy copy = BinaryCopy.into(c, "characteristic_stats", CHARACTERISTIC_COLUMNS)) {
            characteristicIds.forEach(id -> {
                t.begin(3).int4(id).int8(characteristics.get(id, 0)).int4((int) characteristics.get(id, 1));
                write(copy, t);
            });
            return copy.finish();
        }
    }

    private static void write(BinaryCopy copy, CopyTuple t) {
        try {
            copy.write(t.toBytes());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the aggregates", e);
        }
    }

    /** Counters per positive int key, in pages allocated on first use (a stray huge id costs one page). */
    static final class PagedCounters {
        private static final int PAGE_BITS = 12;
        private final int width;
        private final long[][] pages = new long[1 << (31 - PAGE_BITS)][];

        PagedCounters(int width) {
            this.width = width;
        }

        void add(int key, int counter, long amount) {
            long[] page = pages[key >>> PAGE_BITS];
            if (page == null) {
                page = new long[width << PAGE_BITS];
                pages[key >>> PAGE_BITS] = page;
            }
            page[(key & ((1 << PAGE_BITS) - 1)) * width + counter] += amount;
        }

        long get(int key, int counter) {
            long[] page = pages[key >>> PAGE_BITS];
            return page == null ? 0 : page[(key & ((1 << PAGE_BITS) - 1)) * width + counter];
        }

        /** Every key with a counter that is not zero, ascending. */
        void forEachKey(java.util.function.IntConsumer action) {
            for (int p = 0; p < pages.length; p++) {
                long[] page = pages[p];
                if (page == null) {
                    continue;
                }
                for (int k = 0; k < 1 << PAGE_BITS; k++) {
                    for (int i = 0; i < width; i++) {
                        if (page[k * width + i] != 0) {
                            action.accept((p << PAGE_BITS) | k);
                            break;
                        }
                    }
                }
            }
        }
    }
}
