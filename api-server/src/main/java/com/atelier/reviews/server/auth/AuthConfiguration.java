package com.atelier.reviews.server.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/**
 * API keys (openapi.yaml "Access"). Off by default, so that a node started without configuration (and the test
 * suites) behaves like the legacy API; the launcher turns it on for {@code serve} and {@code cluster}.
 */
public class AuthConfiguration {

    /** Refuse requests without a valid key with the scope they need (401/403). Off: keys are optional. */
    private boolean required = false;

    /** Safety net besides the change feed: every node rereads the keys this often. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.HOURS)
    private Duration refreshInterval = Duration.seconds(30);

    /** How often a node writes the last-used times it collected (one batch). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration lastUsedFlushInterval = Duration.seconds(10);

    /**
     * Each key's sustained rate on this node, in requests per second (a token bucket, refilled greedily). A front
     * end's key serves all its visitors, so the default is generous; NGINX limits each address besides.
     */
    @Min(1)
    @Max(1_000_000)
    private int rateLimitPerSecond = 2_000;

    /** How many requests a key may send at once above its rate (the bucket's size). */
    @Min(1)
    @Max(10_000_000)
    private int rateLimitBurst = 4_000;

    @JsonProperty
    public boolean isRequired() {
        return required;
    }

    @JsonProperty
    public void setRequired(boolean required) {
        this.required = required;
    }

    @JsonProperty
    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    @JsonProperty
    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    @JsonProperty
    public Duration getLastUsedFlushInterval() {
        return lastUsedFlushInterval;
    }

    @JsonProperty
    public void setLastUsedFlushInterval(Duration lastUsedFlushInterval) {
        this.lastUsedFlushInterval = lastUsedFlushInterval;
    }

    @JsonProperty
    public int getRateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    @JsonProperty
    public void setRateLimitPerSecond(int rateLimitPerSecond) {
        this.rateLimitPerSecond = rateLimitPerSecond;
    }

    @JsonProperty
    public int getRateLimitBurst() {
        return rateLimitBurst;
    }

    @JsonProperty
    public void setRateLimitBurst(int rateLimitBurst) {
        this.rateLimitBurst = rateLimitBurst;
    }
}
