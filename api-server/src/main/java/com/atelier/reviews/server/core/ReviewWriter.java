package com.atelier.reviews.server.core;

import com.atelier.reviews.server.cache.ReviewCaches;
import com.atelier.reviews.server.db.ReviewWriteDao;
import com.atelier.reviews.server.db.ReviewWriteDao.CharacteristicValue;
import com.atelier.reviews.server.db.ReviewWriteDao.NewReviewRow;
import com.atelier.reviews.server.errors.ApiException;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The write paths. Each is one transaction that also updates the product's precomputed totals and notifies the
 * other nodes; the local caches are invalidated right after commit, so this node reads its own writes.
 */
public class ReviewWriter {

    private final Jdbi jdbi;
    private final ReviewCaches caches;
    private final Clock clock;

    public ReviewWriter(Jdbi jdbi, ReviewCaches caches, Clock clock) {
        this.jdbi = jdbi;
        this.caches = caches;
        this.clock = clock;
    }

    /** Stores a validated review; returns its id. */
    public int add(ReviewSubmission review) {
        int reviewId = jdbi.inTransaction(handle -> {
            ReviewWriteDao dao = handle.attach(ReviewWriteDao.class);
            Set<Integer> owned = dao.characteristicIdsOf(review.productId());
            for (Integer id : review.characteristics().keySet()) {
                if (!owned.contains(id)) {
                    throw ApiException.invalid("characteristics." + id,
                            "characteristic " + id + " is not a characteristic of product " + review.productId());
                }
            }
            int id = dao.insertReview(new NewReviewRow(review.productId(), review.rating(), clock.instant(),
                    review.summary(), review.body(), review.recommend(), review.name(), review.email()));
            dao.insertPhotos(id, review.photos());
            List<CharacteristicValue> values = review.characteristics().entrySet().stream()
                    .map(e -> new CharacteristicValue(e.getKey(), e.getValue())).toList(); // id order: no deadlocks
            dao.insertCharacteristicValues(id, values);
            dao.addToProductTotals(review.productId(), review.rating(), review.recommend(), 1);
            dao.addToCharacteristicTotals(values, 1);
            dao.notifyChanged(review.productId());
            return id;
        });
        caches.invalidate(review.productId());
        return reviewId;
    }

    public void markHelpful(int reviewId) {
        int productId = jdbi.inTransaction(handle -> {
            ReviewWriteDao dao = handle.attach(ReviewWriteDao.class);
            int product = dao.markHelpful(reviewId).orElseThrow(() -> noSuchReview(reviewId));
            dao.notifyChanged(product);
            return product;
        });
        caches.invalidate(productId);
    }

    /** Hides a review and takes it out of its product's totals; reporting it again changes nothing. */
    public void report(int reviewId) {
        Optional<Integer> changedProduct = jdbi.inTransaction(handle -> {
            ReviewWriteDao dao = handle.attach(ReviewWriteDao.class);
            Optional<ReviewWriteDao.ReportedReview> reported = dao.markReported(reviewId);
            if (reported.isEmpty()) {
                if (!dao.reviewExists(reviewId)) {
                    throw noSuchReview(reviewId);
                }
                return Optional.<Integer>empty();
            }
            ReviewWriteDao.ReportedReview r = reported.get();
            dao.addToProductTotals(r.productId(), r.rating(), r.recommend(), -1);
            dao.addToCharacteristicTotals(dao.characteristicValuesOf(reviewId), -1);
            dao.notifyChanged(r.productId());
            return Optional.of(r.productId());
        });
        changedProduct.ifPresent(caches::invalidate);
    }

    private static ApiException noSuchReview(int reviewId) {
        return ApiException.notFound("review_id", "no review has id " + reviewId);
    }
}
