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

    public void invalidate(int productId) {
        reviews.invalidate(productId);
        meta.invalidate(productId);
    }

    public void invalidateAll() {
        reviews.invalidateAll();
        meta.invalidateAll();
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
