package com.atelier.reviews.server.cache;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import org.ehcache.Cache;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntFunction;

/**
 * One Ehcache keyed by product id, safe against the load/invalidate race: a value read from the database before an
 * invalidation of its product is never left in the cache after it. Invalidation bumps a version stripe, then
 * removes the entry; a loader puts only if the stripe did not move, and removes its put if it moved meanwhile.
 * Entries are served only while the node holds its {@link CacheLease}.
 */
public final class ProductCache<V> {

    private static final int STRIPES = 4096;

    private final Cache<Integer, V> cache;
    private final boolean enabled;
    private final CacheLease lease;
    private final long maxLeaseWaitNanos;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    private final Meter hits;
    private final Meter misses;
    private final Meter untrusted;

    ProductCache(Cache<Integer, V> cache, boolean enabled, CacheLease lease, long maxLeaseWaitNanos,
                 MetricRegistry metrics, String name) {
        this.cache = cache;
        this.enabled = enabled;
        this.lease = lease;
        this.maxLeaseWaitNanos = maxLeaseWaitNanos;
        this.hits = metrics.meter(MetricRegistry.name("cache", name, "hits"));
        this.misses = metrics.meter(MetricRegistry.name("cache", name, "misses"));
        this.untrusted = metrics.meter(MetricRegistry.name("cache", name, "untrusted"));
    }

    /** The cached value, or the loader's, cached unless the product changed meanwhile. */
    public V get(int productId, IntFunction<V> loader) {
        if (!enabled) {
            misses.mark();
            return loader.apply(productId);
        }
        if (!awaitLease()) { // the feed is behind: the database is the only exact answer
            untrusted.mark();
            return loader.apply(productId);
        }
        V cached = cache.get(productId);
        if (cached != null) {
            hits.mark();
            return cached;
        }
        misses.mark();
        int stripe = stripe(productId);
        long version = versions.get(stripe);
        V loaded = loader.apply(productId);
        // Safe even if the lease lapsed meanwhile: the feed applies every later change before serving again.
        if (loaded != null && versions.get(stripe) == version) {
            cache.put(productId, loaded);
            if (versions.get(stripe) != version) {
                cache.remove(productId);
            }
        }
        return loaded;
    }

    public void invalidate(int productId) {
        versions.incrementAndGet(stripe(productId));
        cache.remove(productId);
    }

    public void invalidateAll() {
        for (int i = 0; i < STRIPES; i++) {
            versions.incrementAndGet(i);
        }
        cache.clear();
    }

    /** Waits a little (one lease at most) for a late poll rather than sending the read to the database at once. */
    private boolean awaitLease() {
        try {
            return lease.awaitTrusted(maxLeaseWaitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int stripe(int productId) {
        return Math.floorMod(productId * 0x9E3779B9, STRIPES);
    }
}
