package com.atelier.reviews.server.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** Bounds of the per-node Ehcache heap caches. */
public class CacheConfiguration {

    private boolean enabled = true;

    /** Products whose listed reviews are kept in memory. */
    @Min(1)
    private long reviewsEntries = 50_000;

    /** Products whose metadata is kept in memory. */
    @Min(1)
    private long metaEntries = 100_000;

    /** Products with more listed reviews than this are paged by the database instead of cached whole. */
    @Min(1)
    @Max(100_000)
    private int maxReviewsPerProduct = 1_000;

    /**
     * How long a write waits, after its commit, for every other node to acknowledge that it dropped the changed
     * entries (read-your-writes through any node). 0 turns the wait off (peers still invalidate, asynchronously).
     */
    @NotNull
    @MaxDuration(value = 5, unit = TimeUnit.SECONDS)
    private Duration peerAckTimeout = Duration.milliseconds(50);

    @JsonProperty
    public Duration getPeerAckTimeout() {
        return peerAckTimeout;
    }

    @JsonProperty
    public void setPeerAckTimeout(Duration peerAckTimeout) {
        this.peerAckTimeout = peerAckTimeout;
    }

    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @JsonProperty
    public long getReviewsEntries() {
        return reviewsEntries;
    }

    @JsonProperty
    public void setReviewsEntries(long reviewsEntries) {
        this.reviewsEntries = reviewsEntries;
    }

    @JsonProperty
    public long getMetaEntries() {
        return metaEntries;
    }

    @JsonProperty
    public void setMetaEntries(long metaEntries) {
        this.metaEntries = metaEntries;
    }

    @JsonProperty
    public int getMaxReviewsPerProduct() {
        return maxReviewsPerProduct;
    }

    @JsonProperty
    public void setMaxReviewsPerProduct(int maxReviewsPerProduct) {
        this.maxReviewsPerProduct = maxReviewsPerProduct;
    }
}
