package com.atelier.reviews.server.core;

import com.atelier.reviews.server.cache.EncodedJson;
import com.atelier.reviews.server.cache.ProductReviews;
import com.atelier.reviews.server.cache.ReviewCaches;
import com.atelier.reviews.server.cache.ReviewJson;
import com.atelier.reviews.server.db.ProductTotals;
import com.atelier.reviews.server.db.SortOrder;
import com.atelier.reviews.server.db.StoredReview;
import com.atelier.reviews.server.input.InputLimits;
import com.atelier.reviews.server.replicas.ReplicaReads;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The read paths: through the node's caches, falling back to a database that has what the caches have seen.
 * Answers are encoded JSON.
 */
public class ReviewReader {

    private final ReplicaReads database;
    private final ReviewCaches caches;
    private final ReviewJson json;
    private final int maxCachedReviewsPerProduct;
    /** By {@link SortOrder#ordinal()}: a listing is laid out for the order of the read that loads it. */
    private final IntFunction<ProductReviews>[] loaders;

    @SuppressWarnings("unchecked")
    public ReviewReader(ReplicaReads database, ReviewCaches caches, ReviewJson json, int maxCachedReviewsPerProduct) {
        this.database = database;
        this.caches = caches;
        this.json = json;
        this.maxCachedReviewsPerProduct = maxCachedReviewsPerProduct;
        this.loaders = Arrays.stream(SortOrder.values())
                .map(order -> (IntFunction<ProductReviews>) id -> loadProductReviews(id, order))
                .toArray(IntFunction[]::new);
    }

    /** {@code page} and {@code count} are validated: the offset {@code (page - 1) * count} is an int. */
    public EncodedJson list(int productId, SortOrder order, int page, int count) {
        int offset = Math.toIntExact((long) (page - 1) * count);
        ProductReviews reviews = caches.reviews().get(productId, loaders[order.ordinal()]);
        if (!reviews.isTooLarge()) {
            return reviews.page(order, offset, count);
        }
        List<byte[]> results = database.read(productId, dao -> dao.page(productId, order, count, offset))
                .stream().map(json::review).toList();
        return json.page(productId, offset, count, results);
    }

    public EncodedJson meta(int productId) {
        return caches.meta().get(productId, id -> {
            ProductTotals totals = database.read(id, dao -> dao.productTotals(id));
            return json.meta(ReviewMetaFormatter.format(id, totals.ratings(), totals.characteristics()));
        });
    }

    private ProductReviews loadProductReviews(int productId, SortOrder order) {
        List<StoredReview> all = database.read(productId,
                dao -> dao.listedReviews(productId, maxCachedReviewsPerProduct + 1));
        return all.size() > maxCachedReviewsPerProduct ? ProductReviews.TOO_LARGE
                : ProductReviews.of(productId, all, json, InputLimits.DEFAULT_COUNT, order);
    }
}
