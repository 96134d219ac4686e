package com.atelier.reviews.server.core;

import com.atelier.reviews.server.cache.ReviewCaches;
import com.atelier.reviews.server.db.ModerationDao;
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

    /**
     * Hides a review and takes it out of its product's totals, and records who reported it (once per reporter);
     * reporting a hidden review again only records the reporter.
     */
    public WriteOutcome report(int reviewId, String reporter, IdempotentRequest request) {
        return write(request, handle -> {
            ReviewWriteDao dao = handle.attach(ReviewWriteDao.class);
            Optional<ReviewWriteDao.ReportedReview> reported = dao.markReported(reviewId);
            if (reported.isEmpty()) {
                if (!dao.reviewExists(reviewId)) {
                    throw noSuchReview(reviewId);
                }
                handle.attach(ModerationDao.class).recordReport(reviewId, reporter);
                return new Written(WriteOutcome.noContent(reviewId), null);
            }
            handle.attach(ModerationDao.class).recordReport(reviewId, reporter);
            ReviewWriteDao.ReportedReview r = reported.get();
            dao.addToProductTotals(r.productId(), r.rating(), r.recommend(), -1);
            dao.addToCharacteristicTotals(dao.characteristicValuesOf(reviewId), -1);
            dao.recordChange(r.productId());
            return new Written(WriteOutcome.noContent(reviewId), r.productId());
        }, Statements.SEVERAL);
    }

    /**
     * Lists and counts a reported review again and clears its reports (it leaves the queue); a review that is not
     * reported is left as it is (a retried restore answers the same).
     */
    public void restore(int reviewId, String moderator) {
        write(null, handle -> {
            ModerationDao moderation = handle.attach(ModerationDao.class);
            ModerationDao.LockedReview review = moderation.lock(reviewId).orElseThrow(() -> noSuchReview(reviewId));
            if (!review.reported()) {
                return new Written(WriteOutcome.noContent(reviewId), null);
            }
            ReviewWriteDao dao = handle.attach(ReviewWriteDao.class);
            moderation.unreport(reviewId);
            moderation.clearReports(reviewId);
            dao.addToProductTotals(review.productId(), review.rating(), review.recommend(), 1);
            dao.addToCharacteristicTotals(dao.characteristicValuesOf(reviewId), 1);
            moderation.audit(moderator, ModerationAction.RESTORE.wire(), reviewId, review.productId());
            dao.recordChange(review.productId());
            return new Written(WriteOutcome.noContent(reviewId), review.productId());
        }, Statements.SEVERAL);
    }

    /** Deletes a review for good; one still counted leaves its product's totals. */
    public void remove(int reviewId, String moderator) {
        write(null, handle -> {
            ModerationDao moderation = handle.attach(ModerationDao.class);
            ModerationDao.LockedReview review = moderation.lock(reviewId).orElseThrow(() -> noSuchReview(reviewId));
            ReviewWriteDao dao = handle.attach(ReviewWriteDao.class);
            if (!review.reported()) {
                dao.addToProductTotals(review.productId(), review.rating(), review.recommend(), -1);
                dao.addToCharacteristicTotals(dao.characteristicValuesOf(reviewId), -1);
            }
            moderation.delete(reviewId);
            moderation.audit(moderator, ModerationAction.REMOVE.wire(), reviewId, review.productId());
            dao.recordChange(review.productId());
            return new Written(WriteOutcome.noContent(reviewId), review.productId());
        }, Statements.SEVERAL);
    }

    /** Sets the merchant's response shown with the review, or clears it ({@code response} null). */
    public void setResponse(int reviewId, String response, String moderator) {
        write(null, handle -> {
            ModerationDao moderation = handle.attach(ModerationDao.class);
            int product = moderation.setResponse(reviewId, response).orElseThrow(() -> noSuchReview(reviewId));
            ModerationAction action = response == null ? ModerationAction.CLEAR_RESPONSE : ModerationAction.SET_RESPONSE;
            moderation.audit(moderator, action.wire(), reviewId, product);
            handle.attach(ReviewWriteDao.class).recordChange(product);
            return new Written(WriteOutcome.noContent(reviewId), product);
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
