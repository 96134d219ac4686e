package com.atelier.reviews.server.cache;

import com.atelier.reviews.contract.model.Review;
import com.atelier.reviews.server.db.SortOrder;
import com.atelier.reviews.server.db.StoredReview;

import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * All listed reviews of one product, already rendered and sorted in each order, so any page is a sub-list.
 * A product with more reviews than the cache bound is represented by {@link #TOO_LARGE} and paged by the database.
 */
public final class ProductReviews {

    public static final ProductReviews TOO_LARGE = new ProductReviews(Map.of());

    private final Map<SortOrder, List<Review>> sorted;

    private ProductReviews(Map<SortOrder, List<Review>> sorted) {
        this.sorted = sorted;
    }

    public static ProductReviews of(List<StoredReview> reviews) {
        // Rendered once and shared by the three orders: a cached product costs one Review per review, not three.
        Map<StoredReview, Review> rendered = new IdentityHashMap<>(reviews.size() * 2);
        for (StoredReview r : reviews) {
            rendered.put(r, render(r));
        }
        Map<SortOrder, List<Review>> sorted = new EnumMap<>(SortOrder.class);
        for (SortOrder order : SortOrder.values()) {
            sorted.put(order, reviews.stream().sorted(order.comparator()).map(rendered::get).toList());
        }
        return new ProductReviews(sorted);
    }

    public boolean isTooLarge() {
        return this == TOO_LARGE;
    }

    public List<Review> page(SortOrder order, long offset, int count) {
        List<Review> all = sorted.get(order);
        if (offset >= all.size()) {
            return List.of();
        }
        return all.subList((int) offset, (int) Math.min(all.size(), offset + count));
    }

    /** The contract's Review. Dates are truncated to midnight UTC, as the legacy API rendered them. */
    public static Review render(StoredReview r) {
        return new Review()
                .reviewId(r.id())
                .rating(r.rating())
                .summary(r.summary())
                .recommend(r.recommend())
                .response(r.response())
                .body(r.body())
                .date(r.createdAt().truncatedTo(ChronoUnit.DAYS).atOffset(ZoneOffset.UTC))
                .reviewerName(r.reviewerName())
                .helpfulness(r.helpfulness())
                .photos(r.photos());
    }
}
