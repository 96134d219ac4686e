package com.atelier.reviews.db;

/**
 * The cache invalidation log ({@code cache_changes}, migration V5) as its writers use it: the API's write paths log
 * the product they changed, a bulk load logs "everything", a key change logs {@link #KEYS_CHANGED}. The API nodes' change feed polls it.
 */
public final class CacheChanges {

    /** A write's entry, in the write's own transaction; {@code :productId} is the product it changed. */
    public static final String RECORD_CHANGE = "INSERT INTO cache_changes (product_id) VALUES (:productId)";

    /** Every product changed (a bulk load). */
    public static final String RECORD_EVERYTHING_CHANGED = "INSERT INTO cache_changes (product_id) VALUES (NULL)";

    /**
     * The reserved {@code product_id} of an entry that says "the API keys changed" (V7): product ids are positive, so
     * no product's entry can be taken for it. Nodes reload their keys when they see it (api-server auth/ApiKeys).
     */
    public static final int KEYS_CHANGED = -1;

    /** A key was created, imported or revoked; in the same transaction as that change. */
    public static final String RECORD_KEYS_CHANGED = "INSERT INTO cache_changes (product_id) VALUES (" + KEYS_CHANGED + ")";

    /**
     * The longest cache lease a node may be configured with: a change logged this long ago is visible through every
     * node. A bulk load waits this long after its commit before it reports that it is done.
     */
    public static final long MAX_LEASE_MILLIS = 1_000;

    private CacheChanges() {
    }
}
