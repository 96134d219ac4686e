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
 */
public final class ProductCache<V> {

    private static final int STRIPES = 4096;

    private final Cache<Integer, V> cache;
    private final AtomicLongArray versions = new AtomicLongArray(STRIPES);
    private final Meter hits;
    private final Meter misses;
    private volatile boolean active;

    ProductCache(Cache<Integer, V> cache, MetricRegistry metrics, String name) {
        this.cache = cache;
        this.hits = metrics.meter(MetricRegistry.name("cache", name, "hits"));
        this.misses = metrics.meter(MetricRegistry.name("cache", name, "misses"));
    }

    /** The cached value, or the loader's, cached unless the product changed (or caching is off) meanwhile. */
    public V get(int productId, IntFunction<V> loader) {
        if (!active) {
            misses.mark();
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
        if (loaded != null && active && versions.get(stripe) == version) {
            cache.put(productId, loaded);
            if (versions.get(stripe) != version || !active) {
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

    /** Caching is only on while change notifications are being received; off, every read goes to the database. */
    void setActive(boolean active) {
        if (!active) {
            this.active = false;
            invalidateAll();
        } else {
            invalidateAll(); // anything cached before a gap in notifications may be stale
            this.active = true;
        }
    }

    public boolean isActive() {
        return active;
    }

    private static int stripe(int productId) {
        return Math.floorMod(productId * 0x9E3779B9, STRIPES);
    }
}
