package com.atelier.reviews.server.cache;

import com.atelier.reviews.contract.model.Review;
import com.atelier.reviews.server.db.SortOrder;
import com.atelier.reviews.server.db.StoredReview;

import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * All listed reviews of one product, each encoded once into one array, so any page is its envelope around slices of
 * that array. The array is laid out as the first page (of the usual count) in the order of the read that loaded it:
 * that page, the most common read, is the array itself, and the reviews past it follow. The first page of another
 * order is built and kept once it is asked for. A product holds each review's bytes once, not once more in its first
 * page: ~3.7 KB per product on the generated data rather than ~5.4 (docs/PERFORMANCE.md "Reads (2026-12-08)").
 * A product with more reviews than the cache bound is represented by {@link #TOO_LARGE} and paged by the database.
 */
public final class ProductReviews {

    private static final SortOrder[] ORDERS = SortOrder.values();

    public static final ProductReviews TOO_LARGE = new ProductReviews(0, 0, null, null, new int[0], null, 0);

    private final int productId;
    private final int firstPageCount;
    private final SortOrder layoutOrder;
    /** The first page in {@link #layoutOrder} (its first {@link #firstPageLength} bytes), then the other reviews. */
    private final byte[] encoded;
    /** Review i of the layout order is {@code encoded[bounds[2i], bounds[2i + 1])}. */
    private final int[] bounds;
    /** By {@link SortOrder#ordinal()}: the layout positions of the reviews in that order (null for the layout's). */
    private final int[][] positions;
    private final int firstPageLength;
    /** By ordinal; two first readers may both build one, and either identical page stays. */
    private final AtomicReferenceArray<EncodedJson> firstPages = new AtomicReferenceArray<>(ORDERS.length);

    private ProductReviews(int productId, int firstPageCount, SortOrder layoutOrder, byte[] encoded, int[] bounds,
                           int[][] positions, int firstPageLength) {
        this.productId = productId;
        this.firstPageCount = firstPageCount;
        this.layoutOrder = layoutOrder;
        this.encoded = encoded;
        this.bounds = bounds;
        this.positions = positions;
        this.firstPageLength = firstPageLength;
        if (layoutOrder != null) {
            firstPages.set(layoutOrder.ordinal(), new EncodedJson(encoded, firstPageLength));
        }
    }

    /**
     * {@code layoutOrder}: the order of the read that loads the product, whose first page costs no copy;
     * {@code firstPageCount}: the count of the page kept whole per order (the default count front ends ask).
     */
    public static ProductReviews of(int productId, List<StoredReview> reviews, ReviewJson json, int firstPageCount,
                                    SortOrder layoutOrder) {
        StoredReview[] layout = reviews.toArray(StoredReview[]::new);
        Arrays.sort(layout, layoutOrder.comparator());
        byte[][] each = new byte[layout.length][];
        byte[] start = ReviewJson.pageStart(productId, 0, firstPageCount);
        int onFirstPage = Math.min(firstPageCount, layout.length);
        int size = start.length + Math.max(0, onFirstPage - 1) + ReviewJson.PAGE_END.length;
        for (int i = 0; i < layout.length; i++) {
            each[i] = json.review(layout[i]);
            size += each[i].length;
        }
        byte[] encoded = new byte[size];
        int[] bounds = new int[2 * layout.length];
        int at = ReviewJson.put(encoded, 0, start);
        int firstPageLength = 0;
        for (int i = 0; i < layout.length; i++) {
            if (i > 0 && i < onFirstPage) {
                encoded[at++] = ReviewJson.SEPARATOR;
            }
            bounds[2 * i] = at;
            at = ReviewJson.put(encoded, at, each[i]);
            bounds[2 * i + 1] = at;
            if (i == onFirstPage - 1) {
                at = ReviewJson.put(encoded, at, ReviewJson.PAGE_END);
                firstPageLength = at;
            }
        }
        if (onFirstPage == 0) {
            firstPageLength = ReviewJson.put(encoded, at, ReviewJson.PAGE_END);
        }
        int[][] positions = new int[ORDERS.length][];
        for (SortOrder order : ORDERS) {
            if (order != layoutOrder) {
                positions[order.ordinal()] = positionsIn(layout, order.comparator());
            }
        }
        return new ProductReviews(productId, firstPageCount, layoutOrder, encoded, bounds, positions,
                firstPageLength);
    }

    private static int[] positionsIn(StoredReview[] layout, Comparator<StoredReview> order) {
        Integer[] boxed = new Integer[layout.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> order.compare(layout[a], layout[b]));
        int[] positions = new int[boxed.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = boxed[i];
        }
        return positions;
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
        int reviews = bounds.length / 2;
        int from = Math.min(offset, reviews);
        int to = (int) Math.min(reviews, (long) offset + count);
        int[] inOrder = positions[order.ordinal()];
        byte[] start = ReviewJson.pageStart(productId, offset, count);
        int size = start.length + Math.max(0, to - from - 1) + ReviewJson.PAGE_END.length;
        for (int i = from; i < to; i++) {
            int r = inOrder == null ? i : inOrder[i];
            size += bounds[2 * r + 1] - bounds[2 * r];
        }
        byte[] out = new byte[size];
        int at = ReviewJson.put(out, 0, start);
        for (int i = from; i < to; i++) {
            if (i > from) {
                out[at++] = ReviewJson.SEPARATOR;
            }
            int r = inOrder == null ? i : inOrder[i];
            int length = bounds[2 * r + 1] - bounds[2 * r];
            System.arraycopy(encoded, bounds[2 * r], out, at, length);
            at += length;
        }
        ReviewJson.put(out, at, ReviewJson.PAGE_END);
        return new EncodedJson(out);
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
