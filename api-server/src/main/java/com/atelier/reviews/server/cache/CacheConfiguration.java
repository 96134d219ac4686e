package com.atelier.reviews.server.cache;

import com.atelier.reviews.db.CacheChanges;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** Bounds of the per-node Ehcache heap caches, and how they follow the change log. */
public class CacheConfiguration {

    private boolean enabled = true;

    /** Products whose listed reviews are kept in memory. */
    @Min(1)
    private long reviewsEntries = 70_000;

    /** Products whose metadata is kept in memory. */
    @Min(1)
    private long metaEntries = 100_000;

    /** Products with more listed reviews than this are paged by the database instead of cached whole. */
    @Min(1)
    @Max(100_000)
    private int maxReviewsPerProduct = 1_000;

    /** How often the change feed polls cache_changes. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MICROSECONDS)
    @MaxDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration pollInterval = Duration.milliseconds(1);

    /**
     * The read-your-writes lease (see CacheLease): a node serves cached entries only while its last applied poll
     * started within it, and a write answers this long after its commit. At most 1 s, which the ETL waits out.
     */
    @NotNull
    @MaxDuration(value = CacheChanges.MAX_LEASE_MILLIS, unit = TimeUnit.MILLISECONDS)
    private Duration lease = Duration.milliseconds(4);

    /** How long the change log keeps a row; a node whose feed stalls for half of it starts over with empty caches. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.SECONDS)
    private Duration changeRetention = Duration.minutes(5);

    @ValidationMethod(message = "cache.lease must be at least twice cache.pollInterval")
    @JsonIgnore
    public boolean isLeaseLongerThanPolls() {
        return lease.toNanoseconds() >= 2 * pollInterval.toNanoseconds();
    }

    @JsonProperty
    public Duration getPollInterval() {
        return pollInterval;
    }

    @JsonProperty
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    @JsonProperty
    public Duration getLease() {
        return lease;
    }

    @JsonProperty
    public void setLease(Duration lease) {
        this.lease = lease;
    }

    @JsonProperty
    public Duration getChangeRetention() {
        return changeRetention;
    }

    @JsonProperty
    public void setChangeRetention(Duration changeRetention) {
        this.changeRetention = changeRetention;
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
