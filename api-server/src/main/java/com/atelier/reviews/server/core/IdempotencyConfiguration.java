package com.atelier.reviews.server.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** How long Idempotency-Keys are remembered, and how often the expired ones are deleted. */
public class IdempotencyConfiguration {

    /** A key is answered from its stored result for this long; afterwards it is free again (Stripe: 24 h). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    private Duration retention = Duration.hours(24);

    /** How often each node deletes expired keys (a bounded, indexed delete; every node may run it). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration pruneInterval = Duration.minutes(10);

    @JsonProperty
    public Duration getRetention() {
        return retention;
    }

    @JsonProperty
    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    @JsonProperty
    public Duration getPruneInterval() {
        return pruneInterval;
    }

    @JsonProperty
    public void setPruneInterval(Duration pruneInterval) {
        this.pruneInterval = pruneInterval;
    }
}
