package com.atelier.reviews.server.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.locator.ClasspathSqlLocator;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;

/**
 * The read paths on one handle: listed reviews with their photos, and the precomputed metadata. The statements are
 * the {@code .sql} files beside this class.
 *
 * <p>Fluent statements rather than a SqlObject: a SqlObject call re-derives its extension and method configuration
 * every time (jdbi/jdbi#2617), which cost a quarter of the node's CPU on a cache miss, four times the statement's own
 * JDBC work (async-profiler; docs/PERFORMANCE.md). These run on the handle directly.
 */
public final class ReviewReadDao {

    private static final String LISTED_REVIEWS = statement("listedReviews");
    private static final String PAGE = statement("page");
    private static final String PRODUCT_TOTALS = statement("productTotals");
    private static final String PRODUCTS_WITH_REVIEWS = statement("productsWithReviews");
    private static final RowMapper<ReviewPhotoRow> REVIEW_PHOTO_ROWS = new ReviewPhotoRow.Mapper();
    private static final RowMapper<ProductTotals.Row> PRODUCT_TOTALS_ROWS = new ProductTotals.Row.Mapper();

    private final Handle handle;

    public ReviewReadDao(Handle handle) {
        this.handle = handle;
    }

    /** Up to {@code limit} listed reviews of a product, by id; callers ask for one more than they keep. */
    public List<StoredReview> listedReviews(int productId, int limit) {
        return ReviewPhotoRow.fold(handle.createQuery(LISTED_REVIEWS)
                .bind("productId", productId).bind("limit", limit)
                .map(REVIEW_PHOTO_ROWS).list());
    }

    /** One page of a product's listed reviews in the given order (for products too large to cache whole). */
    public List<StoredReview> page(int productId, SortOrder order, int limit, long offset) {
        return ReviewPhotoRow.fold(handle.createQuery(PAGE).define("order", order.sql())
                .bind("productId", productId).bind("limit", limit).bind("offset", offset)
                .map(REVIEW_PHOTO_ROWS).list());
    }

    /** The product's rating and characteristic totals, in one round trip (meta on a cache miss). */
    public ProductTotals productTotals(int productId) {
        return ProductTotals.of(handle.createQuery(PRODUCT_TOTALS).bind("productId", productId)
                .map(PRODUCT_TOTALS_ROWS).list());
    }

    /** Some products that have reviews (the warm-up's), by the primary key of their totals: no scan. */
    public List<Integer> productsWithReviews(int limit) {
        return handle.createQuery(PRODUCTS_WITH_REVIEWS).bind("limit", limit).mapTo(Integer.class).list();
    }

    /** The file's statement, tagged like the SqlObjects' ({@link ParsedOnceTemplateEngine}) for pg_stat_statements. */
    private static String statement(String name) {
        return "/* ReviewReadDao." + name + " */ "
                + ClasspathSqlLocator.removingComments().locate(ReviewReadDao.class, name);
    }
}
