package com.atelier.reviews.server.db;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/**
 * The three orders of the contract. Each has the SQL fragment (a fixed whitelist; no user text reaches SQL) and
 * the equivalent Java comparator used when a product's reviews are sorted in memory. Both end with id descending,
 * so paging is stable.
 */
public enum SortOrder {
    NEWEST("created_at DESC, id DESC",
            Comparator.comparing(StoredReview::createdAt).reversed()),
    HELPFUL("helpfulness DESC, created_at DESC, id DESC",
            Comparator.comparingInt(StoredReview::helpfulness).reversed()
                    .thenComparing(Comparator.comparing(StoredReview::createdAt).reversed())),
    /** log2(1 + helpfulness) + years since the epoch: one year newer weighs as much as twice the votes. */
    RELEVANT("(ln(1 + helpfulness) / ln(2) + extract(epoch FROM created_at) / 31557600) DESC, id DESC",
            Comparator.comparingDouble(SortOrder::relevance).reversed());

    private static final double SECONDS_PER_YEAR = 31_557_600d;

    private final String sql;
    private final Comparator<StoredReview> comparator;

    SortOrder(String sql, Comparator<StoredReview> primary) {
        this.sql = sql;
        this.comparator = primary.thenComparing(Comparator.comparingInt(StoredReview::id).reversed());
    }

    public String sql() {
        return sql;
    }

    public Comparator<StoredReview> comparator() {
        return comparator;
    }

    static double relevance(StoredReview r) {
        return Math.log1p(r.helpfulness()) / Math.log(2) + r.createdAt().toEpochMilli() / 1000d / SECONDS_PER_YEAR;
    }

    /**
     * The spellings front ends send for each order (the contract's names, plus the option labels and nouns seen in
     * real front ends), matched case-insensitively.
     */
    private static final Map<String, SortOrder> SPELLINGS = Map.of(
            "newest", NEWEST, "new", NEWEST,
            "helpful", HELPFUL, "helpfulness", HELPFUL,
            "relevant", RELEVANT, "relevance", RELEVANT);

    /**
     * Lenient like the legacy API, which fell back to its default order: a missing, empty or unrecognised value is
     * {@link #RELEVANT}. Never an error, and no user text ever reaches SQL (only the fixed fragments above).
     */
    public static SortOrder parse(String value) {
        if (value == null) {
            return RELEVANT;
        }
        return SPELLINGS.getOrDefault(value.toLowerCase(Locale.ROOT), RELEVANT);
    }
}
