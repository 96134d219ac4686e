package com.atelier.reviews.server.cache;

import com.atelier.reviews.contract.model.ReviewMeta;
import com.atelier.reviews.server.core.ProductReviews;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;

/** The node's two heap caches (listed reviews and metadata per product), bounded by entries in config. */
public final class ReviewCaches implements Managed {

    private final CacheManager manager;
    private final ProductCache<ProductReviews> reviews;
    private final ProductCache<ReviewMeta> meta;
    private final boolean enabled;
    private volatile ChangeListener listener;

    public ReviewCaches(CacheConfiguration config, MetricRegistry metrics) {
        this.enabled = config.isEnabled();
        this.manager = CacheManagerBuilder.newCacheManagerBuilder()
                .withCache("reviews", CacheConfigurationBuilder.newCacheConfigurationBuilder(Integer.class,
                        ProductReviews.class, ResourcePoolsBuilder.heap(config.getReviewsEntries())))
                .withCache("meta", CacheConfigurationBuilder.newCacheConfigurationBuilder(Integer.class,
                        ReviewMeta.class, ResourcePoolsBuilder.heap(config.getMetaEntries())))
                .build(true);
        this.reviews = new ProductCache<>(manager.getCache("reviews", Integer.class, ProductReviews.class), metrics, "reviews");
        this.meta = new ProductCache<>(manager.getCache("meta", Integer.class, ReviewMeta.class), metrics, "meta");
    }

    public ProductCache<ProductReviews> reviews() {
        return reviews;
    }

    public ProductCache<ReviewMeta> meta() {
        return meta;
    }

    /**
     * After a committed write of one product: drops this node's entries, then waits (bounded) until every peer node
     * has dropped them too (see {@link ChangeListener}), so a read through any node after this returns sees the write.
     */
    public void invalidate(int productId) {
        invalidateLocally(productId);
        awaitPeers();
    }

    /** After a committed change of many products (bulk loads): like {@link #invalidate(int)}, for everything. */
    public void invalidateAll() {
        invalidateAllLocally();
        awaitPeers();
    }

    void invalidateLocally(int productId) {
        reviews.invalidate(productId);
        meta.invalidate(productId);
    }

    void invalidateAllLocally() {
        reviews.invalidateAll();
        meta.invalidateAll();
    }

    void syncWith(ChangeListener listener) {
        this.listener = listener;
    }

    private void awaitPeers() {
        ChangeListener l = listener;
        if (l != null) {
            l.awaitPeers();
        }
    }

    /** Called by the change listener: on only while notifications flow (and only if enabled in config). */
    void setActive(boolean active) {
        reviews.setActive(active && enabled);
        meta.setActive(active && enabled);
    }

    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void stop() {
        manager.close();
    }
}
