package com.atelier.reviews.client;

import com.atelier.reviews.client.model.CharacteristicMeta;
import com.atelier.reviews.client.model.ReviewMeta;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code GET /reviews/meta} as numbers. The wire keeps the legacy API's strings (counts as {@code "13"}, averages as
 * {@code "2.4000000000000000"}, zero counts omitted); this reads them once, exactly ({@link BigDecimal}, no float).
 */
public final class ReviewStats {

    /** Decimals of {@link #averageRating()}: those of PostgreSQL's {@code AVG(integer)}, like the characteristics. */
    public static final int AVERAGE_SCALE = 16;

    private final ReviewMeta meta;
    private final Map<Integer, Long> ratingCounts;
    private final long total;

    private ReviewStats(ReviewMeta meta) {
        this.meta = meta;
        Map<Integer, Long> counts = new TreeMap<>();
        for (int rating = 1; rating <= 5; rating++) {
            counts.put(rating, count(meta.getRatings(), Integer.toString(rating)));
        }
        this.ratingCounts = Collections.unmodifiableMap(counts);
        this.total = counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public static ReviewStats of(ReviewMeta meta) {
        return new ReviewStats(meta);
    }

    private static long count(Map<String, String> counts, String key) {
        String value = counts == null ? null : counts.get(key);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The generated model, as the server sent it. */
    public ReviewMeta meta() {
        return meta;
    }

    public int productId() {
        return Integer.parseInt(meta.getProductId());
    }

    /** Reviews per rating 1..5, zeros included. */
    public Map<Integer, Long> ratingCounts() {
        return ratingCounts;
    }

    /** Number of (unreported) reviews: the sum of the rating counts. */
    public long total() {
        return total;
    }

    /** Mean rating, rounded half-even to {@value #AVERAGE_SCALE} decimals; empty when there is no review. */
    public Optional<BigDecimal> averageRating() {
        if (total == 0) {
            return Optional.empty();
        }
        long sum = ratingCounts.entrySet().stream().mapToLong(e -> e.getKey() * e.getValue()).sum();
        return Optional.of(BigDecimal.valueOf(sum).divide(BigDecimal.valueOf(total), AVERAGE_SCALE,
                RoundingMode.HALF_EVEN));
    }

    public long recommendedCount() {
        return count(meta.getRecommended(), "true");
    }

    public long notRecommendedCount() {
        return count(meta.getRecommended(), "false");
    }

    /** Average per characteristic name, in the server's order; characteristics nobody rated are left out. */
    public Map<String, BigDecimal> characteristicAverages() {
        Map<String, BigDecimal> averages = new LinkedHashMap<>();
        characteristics().forEach((name, c) -> {
            if (c.getValue() != null) {
                averages.put(name, new BigDecimal(c.getValue()));
            }
        });
        return Collections.unmodifiableMap(averages);
    }

    /** Characteristic id per name: the keys {@code NewReview.characteristics} takes (as strings). */
    public Map<String, Integer> characteristicIds() {
        Map<String, Integer> ids = new LinkedHashMap<>();
        characteristics().forEach((name, c) -> ids.put(name, c.getId()));
        return Collections.unmodifiableMap(ids);
    }

    private Map<String, CharacteristicMeta> characteristics() {
        return meta.getCharacteristics() == null ? Map.of() : meta.getCharacteristics();
    }

    @Override
    public String toString() {
        return "ReviewStats{product=" + meta.getProductId() + ", total=" + total + ", average="
                + averageRating().map(BigDecimal::toPlainString).orElse("none") + "}";
    }
}
