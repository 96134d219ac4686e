package com.atelier.reviews.db;

/**
 * The cache invalidation log ({@code cache_changes}, migration V5) as its writers use it: the API's write paths log
 * the product they changed, a bulk load logs "everything". The API nodes' change feed polls it.
 */
public final class CacheChanges {

    /** A write's entry, in the write's own transaction; {@code :productId} is the product it changed. */
    public static final String RECORD_CHANGE = "INSERT INTO cache_changes (product_id) VALUES (:productId)";

    /** Every product changed (a bulk load). */
    public static final String RECORD_EVERYTHING_CHANGED = "INSERT INTO cache_changes (product_id) VALUES (NULL)";

    /**
     * The longest cache lease a node may be configured with: a change logged this long ago is visible through every
     * node. A bulk load waits this long after its commit before it reports that it is done.
     */
    public static final long MAX_LEASE_MILLIS = 1_000;

    private CacheChanges() {
    }
}
