package com.atelier.reviews.server.auth;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key meters, named after the key's name (never the key): {@code auth.keys.<name>.requests}, {@code .4xx},
 * {@code .429}; plus {@code auth.unauthorized} (401) and {@code auth.forbidden} (403) over all callers.
 */
public final class KeyMetrics {

    /** The meters of one key. */
    record PerKey(Meter requests, Meter clientErrors, Meter rateLimited) {
    }

    private final MetricRegistry registry;
    private final Map<String, PerKey> byName = new ConcurrentHashMap<>();
    final Meter unauthorized;
    final Meter forbidden;

    public KeyMetrics(MetricRegistry registry) {
        this.registry = registry;
        this.unauthorized = registry.meter("auth.unauthorized");
        this.forbidden = registry.meter("auth.forbidden");
    }

    PerKey of(String keyName) {
        return byName.computeIfAbsent(keyName, name -> new PerKey(
                registry.meter(MetricRegistry.name("auth.keys", name, "requests")),
                registry.meter(MetricRegistry.name("auth.keys", name, "4xx")),
                registry.meter(MetricRegistry.name("auth.keys", name, "429"))));
    }
}
