package com.atelier.reviews.server.core;

import com.atelier.reviews.server.cache.ReviewCaches;
import com.atelier.reviews.server.db.ReviewWriteDao;
import com.atelier.reviews.server.db.ReviewWriteDao.InsertedReview;
import com.atelier.reviews.server.db.ReviewWriteDao.NewReviewRow;
import com.atelier.reviews.server.errors.ApiException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.Optional;

/**
 * The write paths. Each is one transaction that also updates the product's precomputed totals and logs the change
 * for every node's change feed ({@code cache_changes}); the local caches are invalidated right after commit, and the
 * answer waits out the cache lease, so every node reads the write once it has returned. With an
 * Idempotency-Key, the key is claimed first in the same transaction (see {@link IdempotencyKeys}), so a retry
 * replays the answer instead of writing twice. That claim needs READ COMMITTED, PostgreSQL's default, which the pool
 * keeps (database.defaultTransactionIsolation unset); setting it per transaction would cost round trips.
 */
public class ReviewWriter {

    private final Jdbi jdbi;
    private final ReviewCaches caches;
    private final IdempotencyKeys keys;
    private final Clock clock;

    public ReviewWriter(Jdbi jdbi, ReviewCaches caches, IdempotencyKeys keys, Clock clock) {
        this.jdbi = jdbi;
        this.caches = caches;
        this.keys = keys;
        this.clock = clock;
    }

    /** Stores a validated review (once per Idempotency-Key when {@code request} is not null). */
    public WriteOutcome add(ReviewSubmission review, IdempotentRequest request) {
        int[] characteristicIds = review.characteristics().keySet().stream().mapToInt(Integer::intValue).toArray();
        int[] values = review.characteristics().values().stream().mapToInt(Integer::intValue).toArray();
        return write(request, handle -> {
            InsertedReview inserted = handle.attach(ReviewWriteDao.class).insertReview(
                    new NewReviewRow(review.productId(), review.rating(), clock.instant(), review.summary(),
                            review.body(), review.recommend(), review.name(), review.email()),
                    review.photos().toArray(String[]::new), characteristicIds, values);
            if (inserted.reviewId() == null) {
                int id = inserted.foreignCharacteristicIds()[0];
                throw ApiException.invalid("characteristics." + id,
                        "characteristic " + id + " is not a characteristic of product " + review.productId());
            }
            return new Written(WriteOutcome.created(review.productId(), inserted.reviewId()), review.productId());
        }, Statements.ONE);
    }

    public WriteOutcome markHelpful(int reviewId, IdempotentRequest request) {
        return write(request, handle -> {
            ReviewWriteDao dao = handle.attach(ReviewWriteDao.class);
            int product = dao.markHelpful(reviewId).orElseThrow(() -> noSuchReview(reviewId));
            return new Written(WriteOutcome.noContent(reviewId), product);
        }, Statements.ONE);
    }

    /** Hides a review and takes it out of its product's totals; reporting it again changes nothing. */
    public WriteOutcome report(int reviewId, IdempotentRequest request) {
        return write(request, handle -> {
            ReviewWriteDao dao = handle.attach(ReviewWriteDao.class);
            Optional<ReviewWriteDao.ReportedReview> reported = dao.markReported(reviewId);
            if (reported.isEmpty()) {
                if (!dao.reviewExists(reviewId)) {
                    throw noSuchReview(reviewId);
                }
                return new Written(WriteOutcome.noContent(reviewId), null);
            }
            ReviewWriteDao.ReportedReview r = reported.get();
            dao.addToProductTotals(r.productId(), r.rating(), r.recommend(), -1);
            dao.addToCharacteristicTotals(dao.characteristicValuesOf(reviewId), -1);
            dao.recordChange(r.productId());
            return new Written(WriteOutcome.noContent(reviewId), r.productId());
        }, Statements.SEVERAL);
    }

    /** What a write did: its answer and the product it changed (null when it changed nothing). */
    private record Written(WriteOutcome outcome, Integer changedProduct) {
    }

    /** How many statements a write runs: a single one needs no transaction of its own when no key is claimed. */
    private enum Statements { ONE, SEVERAL }

    private interface Write {
        Written run(Handle handle);
    }

    /**
     * Runs a write in one transaction, behind its Idempotency-Key claim when it has one (a write of a single statement
     * without a key runs on its own, in autocommit: one round trip); after commit, drops the changed product from the
     * caches and waits until every node will read it (a replay, which changed nothing, waits too: the write it
     * replays may have committed a moment ago).
     */
    private WriteOutcome write(IdempotentRequest request, Write write, Statements statements) {
        Written written = request == null && statements == Statements.ONE ? jdbi.withHandle(write::run) : jdbi.inTransaction(handle -> {
            if (request != null) {
                Optional<WriteOutcome> earlier = keys.claim(handle, request);
                if (earlier.isPresent()) {
                    return new Written(earlier.get(), null);
                }
            }
            Written w = write.run(handle);
            if (request != null) {
                keys.record(handle, request, w.outcome());
            }
            return w;
        });
        if (written.changedProduct() != null) {
            caches.invalidate(written.changedProduct(), System.nanoTime());
        } else {
            caches.awaitVisible(System.nanoTime());
        }
        return written.outcome();
    }

    private static ApiException noSuchReview(int reviewId) {
        return ApiException.notFound("review_id", "no review has id " + reviewId);
    }
}
