package com.atelier.reviews.server.db;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The statements of reports and moderation (V7: review_reports, moderation_audit). The writes run inside
 * ReviewWriter's transactions, beside ReviewWriteDao's totals and change log, in the same lock order (the review's
 * row, then its product's totals, then its characteristics in id order).
 */
public interface ModerationDao {

    /** A reported review in the queue. */
    record ReportedRow(int reviewId, int productId, int rating, String summary, String body, Instant createdAt,
                       String reviewerName, String response, int reports, Instant lastReportedAt) {
    }

    /** A review's row, locked, with what it contributes to its product's totals when it is counted. */
    record LockedReview(int productId, int rating, boolean recommend, boolean reported) {
    }

    /** One report per review and reporter: the same key reporting twice counts once. */
    @SqlUpdate("INSERT INTO review_reports (review_id, reporter) VALUES (:id, :reporter) ON CONFLICT DO NOTHING")
    void recordReport(@Bind("id") int reviewId, @Bind("reporter") String reporter);

    @SqlQuery("""
            SELECT r.id AS review_id, r.product_id, r.rating, r.summary, r.body, r.created_at, r.reviewer_name,
                   r.response, count(rr.review_id)::int AS reports, max(rr.reported_at) AS last_reported_at
              FROM (SELECT * FROM reviews WHERE reported ORDER BY id DESC LIMIT :limit OFFSET :offset) r
              LEFT JOIN review_reports rr ON rr.review_id = r.id
             GROUP BY r.id, r.product_id, r.rating, r.summary, r.body, r.created_at, r.reviewer_name, r.response
             ORDER BY r.id DESC
            """)
    @RegisterConstructorMapper(ReportedRow.class)
    List<ReportedRow> reported(@Bind("offset") long offset, @Bind("limit") int limit);

    @SqlQuery("SELECT count(*)::int FROM reviews WHERE reported")
    int reportedCount();

    @SqlQuery("SELECT product_id, rating, recommend, reported FROM reviews WHERE id = :id FOR UPDATE")
    @RegisterConstructorMapper(LockedReview.class)
    Optional<LockedReview> lock(@Bind("id") int reviewId);

    @SqlUpdate("UPDATE reviews SET reported = false WHERE id = :id")
    void unreport(@Bind("id") int reviewId);

    @SqlUpdate("DELETE FROM review_reports WHERE review_id = :id")
    void clearReports(@Bind("id") int reviewId);

    @SqlUpdate("DELETE FROM reviews_photos WHERE review_id = :id")
    void deletePhotos(@Bind("id") int reviewId);

    @SqlUpdate("DELETE FROM characteristic_reviews WHERE review_id = :id")
    void deleteCharacteristicValues(@Bind("id") int reviewId);

    @SqlUpdate("DELETE FROM reviews WHERE id = :id")
    void deleteReview(@Bind("id") int reviewId);

    /** Deletes a review and every row that refers to it (its reports included); the referring rows first. */
    default void delete(int reviewId) {
        deletePhotos(reviewId);
        deleteCharacteristicValues(reviewId);
        clearReports(reviewId);
        deleteReview(reviewId);
    }

    /** Sets (or, with null, clears) the merchant's response; the product id when the review exists. */
    @SqlQuery("UPDATE reviews SET response = :response WHERE id = :id RETURNING product_id")
    Optional<Integer> setResponse(@Bind("id") int reviewId, @Bind("response") String response);

    @SqlUpdate("""
            INSERT INTO moderation_audit (key_name, action, review_id, product_id)
            VALUES (:keyName, :action, :reviewId, :productId)
            """)
    void audit(@Bind("keyName") String keyName, @Bind("action") String action, @Bind("reviewId") int reviewId,
               @Bind("productId") int productId);
}
