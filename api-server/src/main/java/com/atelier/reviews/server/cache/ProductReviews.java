package com.atelier.reviews.server.cache;

import com.atelier.reviews.contract.model.Review;
import com.atelier.reviews.server.db.SortOrder;
import com.atelier.reviews.server.db.StoredReview;

import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * All listed reviews of one product, each encoded once and sorted in each order, so any page is a concatenation of
 * their bytes. The first page of the usual size is kept whole per order once it is asked for, the most common read
 * being one array: built on demand rather than for all three orders up front, since most cached products are asked
 * in one order only and the three pages would hold every review of a small product three more times.
 * A product with more reviews than the cache bound is represented by {@link #TOO_LARGE} and paged by the database.
 */
public final class ProductReviews {

    public static final ProductReviews TOO_LARGE = new ProductReviews(0, 0, null, Map.of());

    private final int productId;
    private final int firstPageCount;
    private final ReviewJson json;
    private final Map<SortOrder, List<byte[]>> sorted;
    /** By {@link SortOrder#ordinal()}; two first readers may both build one, and either identical page stays. */
    private final AtomicReferenceArray<EncodedJson> firstPages =
            new AtomicReferenceArray<>(SortOrder.values().length);

    private ProductReviews(int productId, int firstPageCount, ReviewJson json, Map<SortOrder, List<byte[]>> sorted) {
        this.productId = productId;
        this.firstPageCount = firstPageCount;
        this.json = json;
        this.sorted = sorted;
    }

    /** {@code firstPageCount}: the count of the page kept whole per order (the default count front ends ask). */
    public static ProductReviews of(int productId, List<StoredReview> reviews, ReviewJson json, int firstPageCount) {
        // Encoded once and shared by the three orders: a cached product costs one array per review, not three.
        Map<StoredReview, byte[]> encoded = new IdentityHashMap<>(reviews.size() * 2);
        for (StoredReview r : reviews) {
            encoded.put(r, json.review(r));
        }
        Map<SortOrder, List<byte[]>> sorted = new EnumMap<>(SortOrder.class);
        for (SortOrder order : SortOrder.values()) {
            sorted.put(order, Arrays.asList(reviews.stream().sorted(order.comparator()).map(encoded::get)
                    .toArray(byte[][]::new)));
        }
        return new ProductReviews(productId, firstPageCount, json, sorted);
    }

    public boolean isTooLarge() {
        return this == TOO_LARGE;
    }

    /** The page of {@code count} reviews from {@code offset} (an int: the envelope echoes it). */
    public EncodedJson page(SortOrder order, int offset, int count) {
        if (offset == 0 && count == firstPageCount) {
            EncodedJson kept = firstPages.get(order.ordinal());
            if (kept == null) {
                kept = build(order, 0, count);
                firstPages.set(order.ordinal(), kept);
            }
            return kept;
        }
        return build(order, offset, count);
    }

    private EncodedJson build(SortOrder order, int offset, int count) {
        return json.page(productId, offset, count, slice(sorted.get(order), offset, count));
    }

    private static List<byte[]> slice(List<byte[]> all, long offset, int count) {
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
