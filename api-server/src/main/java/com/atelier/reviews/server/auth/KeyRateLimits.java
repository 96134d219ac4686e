package com.atelier.reviews.server.auth;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key name on this node (Bucket4j, lock-free): {@code perSecond} sustained, {@code burst} at
 * once. Per node, like NGINX's per-address limit per worker: behind N nodes a key's whole rate is about N times it.
 */
public final class KeyRateLimits {

    private final int perSecond;
    private final int burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public KeyRateLimits(int perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** 0 when the request may go ahead; else the whole seconds to wait before a token is there (at least 1). */
    public long tryAcquire(String keyName) {
        ConsumptionProbe probe = buckets.computeIfAbsent(keyName, name -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                        .build())
                .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
    }

    public int perSecond() {
        return perSecond;
    }
}
