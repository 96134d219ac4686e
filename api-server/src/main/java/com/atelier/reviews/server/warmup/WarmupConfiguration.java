package com.atelier.reviews.server.warmup;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** The node's warm-up before it reports healthy (see {@link Warmup}); 0 requests: none. */
public class WarmupConfiguration {

    /** Reads the node sends itself at least, once started; until the warm-up ends its {@code warmup} check is unhealthy. */
    @Min(0)
    @Max(1_000_000)
    private int requests = 0;

    /** Requests in flight at once: enough to keep both the JIT's and Jetty's threads busy, not the whole box. */
    @Min(1)
    @Max(64)
    private int concurrency = 2;

    /** The longest a warm-up waits for the JIT after its requests: a cold node is better than none. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 10, unit = TimeUnit.MINUTES)
    private Duration maxDuration = Duration.seconds(120);

    @JsonProperty
    public int getRequests() {
        return requests;
    }

    @JsonProperty
    public void setRequests(int requests) {
        this.requests = requests;
    }

    @JsonProperty
    public int getConcurrency() {
        return concurrency;
    }

    @JsonProperty
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    @JsonProperty
    public Duration getMaxDuration() {
        return maxDuration;
    }

    @JsonProperty
    public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    public boolean isEnabled() {
        return requests > 0;
    }
}
