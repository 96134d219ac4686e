package com.atelier.reviews.server.cache;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;

/**
 * The node's two heap caches (listed reviews and metadata per product, both held encoded), bounded by entries in
 * config, trusted only under the change feed's lease (see {@link CacheLease}).
 */
public final class ReviewCaches implements Managed {

    private final CacheManager manager;
    private final ProductCache<ProductReviews> reviews;
    private final ProductCache<EncodedJson> meta;
    private final CacheLease lease;
    private final boolean enabled;

    public ReviewCaches(CacheConfiguration config, CacheLease lease, MetricRegistry metrics) {
        this.enabled = config.isEnabled();
        this.lease = lease;
        this.manager = CacheManagerBuilder.newCacheManagerBuilder()
                .withCache("reviews", CacheConfigurationBuilder.newCacheConfigurationBuilder(Integer.class,
                        ProductReviews.class, ResourcePoolsBuilder.heap(config.getReviewsEntries())))
                .withCache("meta", CacheConfigurationBuilder.newCacheConfigurationBuilder(Integer.class,
                        EncodedJson.class, ResourcePoolsBuilder.heap(config.getMetaEntries())))
                .build(true);
        long maxWait = config.getLease().toJavaDuration().toNanos();
        this.reviews = new ProductCache<>(manager.getCache("reviews", Integer.class, ProductReviews.class),
                enabled, lease, maxWait, metrics, "reviews");
        this.meta = new ProductCache<>(manager.getCache("meta", Integer.class, EncodedJson.class),
                enabled, lease, maxWait, metrics, "meta");
    }

    public ProductCache<ProductReviews> reviews() {
        return reviews;
    }

    public ProductCache<EncodedJson> meta() {
        return meta;
    }

    /**
     * After a committed write of one product ({@code committedAtNanos}: when its commit returned): drops this node's
     * entries, then waits out the lease, so a read through any node after this returns sees the write.
     */
    public void invalidate(int productId, long committedAtNanos) {
        invalidateLocally(productId);
        lease.awaitWriteVisible(committedAtNanos);
    }

    /**
     * After a write that changed nothing itself (a replayed Idempotency-Key, a review reported again): what it answers
     * may have been committed by another request less than a lease ago, so it waits like the write that did.
     */
    public void awaitVisible(long answeredAtNanos) {
        lease.awaitWriteVisible(answeredAtNanos);
    }

    void invalidateLocally(int productId) {
        reviews.invalidate(productId);
        meta.invalidate(productId);
    }

    /** Drops every entry of this node (after the warm-up, whose reads are not real traffic). */
    public void dropAll() {
        invalidateAllLocally();
    }

    void invalidateAllLocally() {
        reviews.invalidateAll();
        meta.invalidateAll();
    }

    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void stop() {
        manager.close();
    }
}
