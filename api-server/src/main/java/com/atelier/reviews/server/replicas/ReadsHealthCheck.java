package com.atelier.reviews.server.replicas;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;

/**
 * The critical check (config.yml): this node can answer reads, from the primary or, with it down, from the
 * standbys. Writes answer 503 while the primary is down, but the node stays in rotation for the reads.
 */
public final class ReadsHealthCheck extends HealthCheck {

    private final HealthCheckRegistry registry;
    private final String primaryCheck;
    private final String standbysCheck;

    /** {@code standbysCheck} null: no standbys, reads need the primary. */
    public ReadsHealthCheck(HealthCheckRegistry registry, String primaryCheck, String standbysCheck) {
        this.registry = registry;
        this.primaryCheck = primaryCheck;
        this.standbysCheck = standbysCheck;
    }

    @Override
    protected Result check() {
        Result primary = registry.runHealthCheck(primaryCheck);
        if (primary.isHealthy()) {
            return Result.healthy("reads from the primary");
        }
        if (standbysCheck == null) {
            return Result.unhealthy("no database to read from: primary: " + primary.getMessage());
        }
        Result standbys = registry.runHealthCheck(standbysCheck);
        if (standbys.isHealthy()) {
            return Result.healthy("primary unavailable (" + primary.getMessage() + "): reads from the standbys");
        }
        return Result.unhealthy("no database to read from: primary: " + primary.getMessage() + ", standbys: "
                + standbys.getMessage());
    }
}
