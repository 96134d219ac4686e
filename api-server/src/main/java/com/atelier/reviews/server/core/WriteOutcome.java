package com.atelier.reviews.server.core;

/**
 * A write's answer, as sent and as stored for its Idempotency-Key: status, text body and Location (either may be
 * null), the review created or changed, and whether this is the replay of an earlier answer.
 */
public record WriteOutcome(int status, String body, String location, int reviewId, boolean replayed) {

    static WriteOutcome created(int productId, int reviewId) {
        return new WriteOutcome(201, "Created", "/reviews?product_id=" + productId, reviewId, false);
    }

    static WriteOutcome noContent(int reviewId) {
        return new WriteOutcome(204, null, null, reviewId, false);
    }
}
