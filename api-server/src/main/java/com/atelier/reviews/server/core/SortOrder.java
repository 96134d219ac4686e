package com.atelier.reviews.server.core;

import com.atelier.reviews.server.errors.ApiException;

import java.util.Comparator;

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

    public static SortOrder parse(String value) {
        if (value == null || value.isEmpty()) { // like page= and count=, an empty value means the default
            return RELEVANT;
        }
        return switch (value) {
            case "newest" -> NEWEST;
            case "helpful" -> HELPFUL;
            case "relevant" -> RELEVANT;
            default -> throw ApiException.badRequest("sort", "sort must be one of newest, helpful, relevant");
        };
    }
}
