package com.atelier.reviews.server.db;

import com.codahale.metrics.annotation.Timed;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/**
 * Idempotency-Keys (V4). A write claims its key in its own transaction, so the key commits or rolls back with the
 * write. Run in READ COMMITTED: a claim that meets an uncommitted claim of the same key waits for it, and the next
 * statement then sees the winner's committed answer.
 */
public interface IdempotencyDao extends SqlObject {

    /** A stored key: the request it was first used for and the answer given. */
    record StoredKey(byte[] requestHash, Integer responseStatus, String responseBody, String responseLocation,
                     Integer reviewId) {
    }

    /**
     * Claims a key that is unknown or expired (older than the retention, not pruned yet): 1 when claimed, 0 when a
     * live claim holds it. Waits while another transaction holds an uncommitted claim of the same key.
     */
    @SqlUpdate("""
            INSERT INTO idempotency_keys AS k (idempotency_key, request_hash) VALUES (:key, :hash)
            ON CONFLICT (idempotency_key) DO UPDATE
               SET request_hash = EXCLUDED.request_hash, response_status = NULL, response_body = NULL,
                   response_location = NULL, review_id = NULL, created_at = EXCLUDED.created_at
             WHERE k.created_at < now() - make_interval(secs => :retentionSeconds)
            """)
    @Timed
    int claim(@Bind("key") String key, @Bind("hash") byte[] requestHash,
              @Bind("retentionSeconds") double retentionSeconds);

    @SqlQuery("""
            SELECT request_hash, response_status, response_body, response_location, review_id
              FROM idempotency_keys WHERE idempotency_key = :key
            """)
    @RegisterConstructorMapper(StoredKey.class)
    Optional<StoredKey> find(@Bind("key") String key);

    /** Stores the answer of the write that claimed the key, in the write's transaction. */
    @SqlUpdate("""
            UPDATE idempotency_keys
               SET response_status = :status, response_body = :body, response_location = :location,
                   review_id = :reviewId
             WHERE idempotency_key = :key
            """)
    int recordAnswer(@Bind("key") String key, @Bind("status") int status, @Bind("body") String body,
                     @Bind("location") String location, @Bind("reviewId") int reviewId);

    /**
     * Deletes up to {@code limit} expired keys, oldest first. The created_at test is repeated on the row itself so
     * that a key re-claimed meanwhile (created_at moved to now) is kept.
     */
    @SqlUpdate("""
            DELETE FROM idempotency_keys
             WHERE created_at < now() - make_interval(secs => :retentionSeconds)
               AND idempotency_key IN (SELECT idempotency_key FROM idempotency_keys
                                        WHERE created_at < now() - make_interval(secs => :retentionSeconds)
                                        ORDER BY created_at LIMIT :limit)
            """)
    int pruneExpired(@Bind("retentionSeconds") double retentionSeconds, @Bind("limit") int limit);
}
