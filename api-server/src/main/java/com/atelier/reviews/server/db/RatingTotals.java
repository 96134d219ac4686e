package com.atelier.reviews.server.db;

/** One row of product_review_stats. */
public record RatingTotals(int rating1, int rating2, int rating3, int rating4, int rating5,
                           int recommendedTrue, int recommendedFalse) {
}
