package com.atelier.reviews.server.db;

import com.codahale.metrics.annotation.Timed;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.List;

/** The read paths: listed reviews with their photos, and the precomputed metadata. */
public interface ReviewReadDao {

    /** Up to {@code limit} listed reviews of a product, by id; callers ask for one more than they keep. */
    default List<StoredReview> listedReviews(int productId, int limit) {
        return ReviewPhotoRow.fold(listedReviewRows(productId, limit));
    }

    /** One page of a product's listed reviews in the given order (for products too large to cache whole). */
    default List<StoredReview> page(int productId, String order, int limit, long offset) {
        return ReviewPhotoRow.fold(pageRows(productId, order, limit, offset));
    }

    @SqlQuery("""
            SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.created_at, r.reviewer_name,
                   r.helpfulness, p.id AS photo_id, p.url AS photo_url
              FROM (SELECT * FROM reviews WHERE product_id = :productId AND NOT reported ORDER BY id LIMIT :limit) r
              LEFT JOIN reviews_photos p ON p.review_id = r.id
             ORDER BY r.id, p.id
            """)
    @RegisterRowMapper(ReviewPhotoRow.Mapper.class)
    @Timed
    List<ReviewPhotoRow> listedReviewRows(@Bind("productId") int productId, @Bind("limit") int limit);

    @SqlQuery("""
            SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.created_at, r.reviewer_name,
                   r.helpfulness, p.id AS photo_id, p.url AS photo_url
              FROM (SELECT * FROM reviews WHERE product_id = :productId AND NOT reported
                     ORDER BY <order> LIMIT :limit OFFSET :offset) r
              LEFT JOIN reviews_photos p ON p.review_id = r.id
             ORDER BY <order>, p.id
            """)
    @RegisterRowMapper(ReviewPhotoRow.Mapper.class)
    @Timed
    List<ReviewPhotoRow> pageRows(@Bind("productId") int productId, @Define("order") String order,
                                  @Bind("limit") int limit, @Bind("offset") long offset);

    /** Some products that have reviews (the warm-up's), by the primary key of their totals: no scan. */
    @SqlQuery("SELECT product_id FROM product_review_stats ORDER BY product_id LIMIT :limit")
    List<Integer> productsWithReviews(@Bind("limit") int limit);

    /** The product's rating and characteristic totals, in one round trip (meta on a cache miss). */
    default ProductTotals productTotals(int productId) {
        return ProductTotals.of(productTotalsRows(productId));
    }

    @SqlQuery("""
            SELECT s.rating_1, s.rating_2, s.rating_3, s.rating_4, s.rating_5, s.recommended_true, s.recommended_false,
                   c.id AS characteristic_id, c.name,
                   coalesce(cs.value_sum, 0) AS value_sum, coalesce(cs.value_count, 0) AS value_count
              FROM (SELECT CAST(:productId AS integer) AS product_id) q
              LEFT JOIN product_review_stats s ON s.product_id = q.product_id
              LEFT JOIN characteristics c ON c.product_id = q.product_id
              LEFT JOIN characteristic_stats cs ON cs.characteristic_id = c.id
             ORDER BY c.id
            """)
    @RegisterRowMapper(ProductTotals.Row.Mapper.class)
    @Timed
    List<ProductTotals.Row> productTotalsRows(@Bind("productId") int productId);
}
