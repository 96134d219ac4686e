package com.atelier.reviews.server.core;

import com.atelier.reviews.contract.model.Review;
import com.atelier.reviews.contract.model.ReviewList;
import com.atelier.reviews.contract.model.ReviewMeta;
import com.atelier.reviews.server.cache.ProductReviews;
import com.atelier.reviews.server.cache.ReviewCaches;
import com.atelier.reviews.server.db.ProductTotals;
import com.atelier.reviews.server.db.SortOrder;
import com.atelier.reviews.server.db.StoredReview;
import com.atelier.reviews.server.replicas.ReplicaReads;

import java.util.List;

/** The read paths: through the node's caches, falling back to a database that has what the caches have seen. */
public class ReviewReader {

    private final ReplicaReads database;
    private final ReviewCaches caches;
    private final int maxCachedReviewsPerProduct;

    public ReviewReader(ReplicaReads database, ReviewCaches caches, int maxCachedReviewsPerProduct) {
        this.database = database;
        this.caches = caches;
        this.maxCachedReviewsPerProduct = maxCachedReviewsPerProduct;
    }

    public ReviewList list(int productId, SortOrder order, int page, int count) {
        long offset = (long) (page - 1) * count;
        ProductReviews reviews = caches.reviews().get(productId, this::loadProductReviews);
        List<Review> results = reviews.isTooLarge()
                ? database.read(productId, dao -> dao.page(productId, order.sql(), count, offset))
                        .stream().map(ProductReviews::render).toList()
                : reviews.page(order, offset, count);
        return new ReviewList()
                .product(Integer.toString(productId))
                .page((int) offset) // the legacy API answered the offset here
                .count(count)
                .results(results);
    }

    public ReviewMeta meta(int productId) {
        return caches.meta().get(productId, id -> {
            ProductTotals totals = database.read(id, dao -> dao.productTotals(id));
            return ReviewMetaFormatter.format(id, totals.ratings(), totals.characteristics());
        });
    }

    private ProductReviews loadProductReviews(int productId) {
        List<StoredReview> all = database.read(productId,
                dao -> dao.listedReviews(productId, maxCachedReviewsPerProduct + 1));
        return all.size() > maxCachedReviewsPerProduct ? ProductReviews.TOO_LARGE : ProductReviews.of(all);
    }
}
