package com.atelier.reviews.server.db;

import com.atelier.reviews.db.CacheChanges;
import com.codahale.metrics.annotation.Timed;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The statements of the write paths. Each write runs them in one transaction (see ReviewWriter) and keeps
 * product_review_stats / characteristic_stats exact; locks are taken product row first, then characteristics
 * in id order, so concurrent writes cannot deadlock.
 */
public interface ReviewWriteDao extends SqlObject {

    /** A review to insert. */
    record NewReviewRow(int productId, int rating, Instant createdAt, String summary, String body, boolean recommend,
                        String reviewerName, String reviewerEmail) {
    }

    /** What a newly reported review contributed to its product's totals. */
    record ReportedReview(int productId, int rating, boolean recommend) {
    }

    /** A characteristic's value in one review. */
    record CharacteristicValue(int characteristicId, int value) {
    }

    /**
     * What {@link #insertReview} did: the new review's id, or none and the characteristic ids that are not the
     * product's (then nothing was written).
     */
    record InsertedReview(Integer reviewId, int[] foreignCharacteristicIds) {

        public static final class Mapper implements RowMapper<InsertedReview> {
            @Override
            public InsertedReview map(ResultSet rs, StatementContext ctx) throws SQLException {
                int id = rs.getInt(1);
                Integer reviewId = rs.wasNull() ? null : id;
                Integer[] foreign = (Integer[]) rs.getArray(2).getArray();
                return new InsertedReview(reviewId, Arrays.stream(foreign).mapToInt(Integer::intValue).toArray());
            }
        }
    }

    /**
     * A whole POST in one statement (one round trip; in autocommit when no Idempotency-Key is claimed): checks that
     * the characteristics are the product's, then inserts the review, its photos in order and its characteristic
     * values, adds it to the product's and its characteristics' totals and logs the change. When a characteristic is
     * not the product's, it writes nothing. The characteristic totals read the product's totals' output, so they are
     * locked after the product row, in id order, as in the other write paths.
     */
    @SqlQuery("""
            WITH owned AS (
                SELECT coalesce(array_agg(id), '{}') AS ids FROM characteristics WHERE product_id = :productId
            ), given AS (
                SELECT t.id, t.value FROM unnest(CAST(:characteristicIds AS int[]), CAST(:characteristicValues AS int[]))
                       AS t(id, value)
            ), foreign_ids AS (
                SELECT coalesce(array_agg(g.id ORDER BY g.id), '{}') AS ids FROM given g, owned o
                 WHERE NOT g.id = ANY (o.ids)
            ), review AS (
                INSERT INTO reviews (product_id, rating, created_at, summary, body, recommend, reviewer_name,
                                     reviewer_email)
                SELECT :productId, :rating, :createdAt, :summary, :body, :recommend, :reviewerName, :reviewerEmail
                  FROM foreign_ids WHERE cardinality(foreign_ids.ids) = 0
                RETURNING id
            ), photos AS (
                INSERT INTO reviews_photos (review_id, url)
                SELECT review.id, p.url FROM review, unnest(CAST(:photos AS text[])) WITH ORDINALITY AS p(url, n)
                 ORDER BY p.n
            ), product_totals AS (
                INSERT INTO product_review_stats AS s (product_id, rating_1, rating_2, rating_3, rating_4, rating_5,
                                                       recommended_true, recommended_false)
                SELECT :productId, (:rating = 1)::int, (:rating = 2)::int, (:rating = 3)::int, (:rating = 4)::int,
                       (:rating = 5)::int, (:recommend)::int, (NOT :recommend)::int
                  FROM review
                ON CONFLICT (product_id) DO UPDATE SET
                    rating_1 = s.rating_1 + EXCLUDED.rating_1, rating_2 = s.rating_2 + EXCLUDED.rating_2,
                    rating_3 = s.rating_3 + EXCLUDED.rating_3, rating_4 = s.rating_4 + EXCLUDED.rating_4,
                    rating_5 = s.rating_5 + EXCLUDED.rating_5,
                    recommended_true = s.recommended_true + EXCLUDED.recommended_true,
                    recommended_false = s.recommended_false + EXCLUDED.recommended_false
                RETURNING s.product_id
            ), values_ AS (
                INSERT INTO characteristic_reviews (characteristic_id, review_id, value)
                SELECT g.id, review.id, g.value FROM review, given g ORDER BY g.id
            ), characteristic_totals AS (
                INSERT INTO characteristic_stats AS s (characteristic_id, value_sum, value_count)
                SELECT g.id, g.value, 1 FROM product_totals, given g ORDER BY g.id
                ON CONFLICT (characteristic_id) DO UPDATE SET
                    value_sum = s.value_sum + EXCLUDED.value_sum, value_count = s.value_count + 1
            ), change AS (
                INSERT INTO cache_changes (product_id) SELECT :productId FROM review
            )
            SELECT (SELECT id FROM review), (SELECT ids FROM foreign_ids)
            """)
    @RegisterRowMapper(InsertedReview.Mapper.class)
    @Timed
    InsertedReview insertReview(@BindMethods NewReviewRow review, @Bind("photos") String[] photos,
                                @Bind("characteristicIds") int[] characteristicIds,
                                @Bind("characteristicValues") int[] characteristicValues);

    /** Adds signed deltas to a product's totals (creating its row on its first review). */
    @SqlUpdate("""
            INSERT INTO product_review_stats AS s (product_id, rating_1, rating_2, rating_3, rating_4, rating_5,
                                                   recommended_true, recommended_false)
            VALUES (:productId, :sign * (:rating = 1)::int, :sign * (:rating = 2)::int, :sign * (:rating = 3)::int,
                    :sign * (:rating = 4)::int, :sign * (:rating = 5)::int,
                    :sign * (:recommend)::int, :sign * (NOT :recommend)::int)
            ON CONFLICT (product_id) DO UPDATE SET
                rating_1 = s.rating_1 + :sign * (:rating = 1)::int,
                rating_2 = s.rating_2 + :sign * (:rating = 2)::int,
                rating_3 = s.rating_3 + :sign * (:rating = 3)::int,
                rating_4 = s.rating_4 + :sign * (:rating = 4)::int,
                rating_5 = s.rating_5 + :sign * (:rating = 5)::int,
                recommended_true = s.recommended_true + :sign * (:recommend)::int,
                recommended_false = s.recommended_false + :sign * (NOT :recommend)::int
            """)
    void addToProductTotals(@Bind("productId") int productId, @Bind("rating") int rating,
                            @Bind("recommend") boolean recommend, @Bind("sign") int sign);

    /** Adds (sign 1) or removes (sign -1) one review's values; callers pass them in characteristic id order. */
    @SqlBatch("""
            INSERT INTO characteristic_stats AS s (characteristic_id, value_sum, value_count)
            VALUES (:characteristicId, :sign * :value, :sign)
            ON CONFLICT (characteristic_id) DO UPDATE SET
                value_sum = s.value_sum + :sign * :value,
                value_count = s.value_count + :sign
            """)
    void addToCharacteristicTotals(@BindMethods List<CharacteristicValue> values, @Bind("sign") int sign);

    /** Increments helpfulness and logs the change, in one statement; the product id when the review exists. */
    @SqlQuery("""
            WITH voted AS (UPDATE reviews SET helpfulness = helpfulness + 1 WHERE id = :id RETURNING product_id)
            INSERT INTO cache_changes (product_id) SELECT product_id FROM voted RETURNING product_id
            """)
    @Timed
    Optional<Integer> markHelpful(@Bind("id") int reviewId);

    /** Reports a review that was not reported yet; empty when it does not exist or was already reported. */
    @SqlQuery("UPDATE reviews SET reported = true WHERE id = :id AND NOT reported RETURNING product_id, rating, recommend")
    @RegisterConstructorMapper(ReportedReview.class)
    @Timed
    Optional<ReportedReview> markReported(@Bind("id") int reviewId);

    @SqlQuery("SELECT EXISTS (SELECT 1 FROM reviews WHERE id = :id)")
    boolean reviewExists(@Bind("id") int reviewId);

    @SqlQuery("SELECT characteristic_id, value FROM characteristic_reviews WHERE review_id = :id ORDER BY characteristic_id")
    @RegisterConstructorMapper(CharacteristicValue.class)
    List<CharacteristicValue> characteristicValuesOf(@Bind("id") int reviewId);

    /** Logs that a product changed, for every node's change feed; part of the write's transaction. */
    @SqlUpdate(CacheChanges.RECORD_CHANGE)
    void recordChange(@Bind("productId") int productId);
}
