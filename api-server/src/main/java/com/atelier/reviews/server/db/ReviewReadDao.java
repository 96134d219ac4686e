package com.atelier.reviews.server.db;

import com.atelier.reviews.server.core.StoredReview;
import com.codahale.metrics.annotation.Timed;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowReducer;

import java.util.List;
import java.util.Optional;

/** The read paths: listed reviews with their photos, and the precomputed metadata. */
public interface ReviewReadDao {

    /** Up to {@code limit} listed reviews of a product, by id; callers ask for one more than they keep. */
    @SqlQuery("""
            SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.created_at, r.reviewer_name,
                   r.helpfulness, p.id AS photo_id, p.url AS photo_url
              FROM (SELECT * FROM reviews WHERE product_id = :productId AND NOT reported ORDER BY id LIMIT :limit) r
              LEFT JOIN reviews_photos p ON p.review_id = r.id
             ORDER BY r.id, p.id
            """)
    @UseRowReducer(StoredReviewReducer.class)
    @Timed
    List<StoredReview> listedReviews(@Bind("productId") int productId, @Bind("limit") int limit);

    /** One page of a product's listed reviews in the given order (for products too large to cache whole). */
    @SqlQuery("""
            SELECT r.id, r.rating, r.summary, r.recommend, r.response, r.body, r.created_at, r.reviewer_name,
                   r.helpfulness, p.id AS photo_id, p.url AS photo_url
              FROM (SELECT * FROM reviews WHERE product_id = :productId AND NOT reported
                     ORDER BY <order> LIMIT :limit OFFSET :offset) r
              LEFT JOIN reviews_photos p ON p.review_id = r.id
             ORDER BY <order>, p.id
            """)
    @UseRowReducer(StoredReviewReducer.class)
    @Timed
    List<StoredReview> page(@Bind("productId") int productId, @Define("order") String order,
                            @Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("""
            SELECT rating_1, rating_2, rating_3, rating_4, rating_5, recommended_true, recommended_false
              FROM product_review_stats WHERE product_id = :productId
            """)
    @RegisterConstructorMapper(RatingTotals.class)
    @Timed
    Optional<RatingTotals> ratingTotals(@Bind("productId") int productId);

    @SqlQuery("""
            SELECT c.id, c.name, coalesce(s.value_sum, 0) AS value_sum, coalesce(s.value_count, 0) AS value_count
              FROM characteristics c LEFT JOIN characteristic_stats s ON s.characteristic_id = c.id
             WHERE c.product_id = :productId
             ORDER BY c.id
            """)
    @RegisterConstructorMapper(CharacteristicTotals.class)
    @Timed
    List<CharacteristicTotals> characteristicTotals(@Bind("productId") int productId);
}
