package com.atelier.reviews.server.warmup;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The node's warm-up before it reports healthy (see {@link Warmup}); 0 requests: none. */
public class WarmupConfiguration {

    /** Reads the node sends itself once started; until they are answered its {@code warmup} check is unhealthy. */
    @Min(0)
    @Max(1_000_000)
    private int requests = 0;

    /** Requests in flight at once: enough to keep both the JIT's and Jetty's threads busy, not the whole box. */
    @Min(1)
    @Max(64)
    private int concurrency = 2;

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

    public boolean isEnabled() {
        return requests > 0;
    }
}
