package com.atelier.reviews.server;

import com.atelier.reviews.server.auth.AuthConfiguration;
import com.atelier.reviews.server.cache.CacheConfiguration;
import com.atelier.reviews.server.core.IdempotencyConfiguration;
import com.atelier.reviews.server.cors.CorsConfiguration;
import com.atelier.reviews.server.replicas.ReplicasConfiguration;
import com.atelier.reviews.server.warmup.WarmupConfiguration;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The one configuration class of the API server; see {@code config.yml} for the defaults and environment overrides. */
public class ReviewsConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    @Valid
    @NotNull
    private ReplicasConfiguration replicas = new ReplicasConfiguration();

    @Valid
    @NotNull
    private CacheConfiguration cache = new CacheConfiguration();

    @Valid
    @NotNull
    private IdempotencyConfiguration idempotency = new IdempotencyConfiguration();

    @Valid
    @NotNull
    private CorsConfiguration cors = new CorsConfiguration();

    @Valid
    @NotNull
    private AuthConfiguration auth = new AuthConfiguration();

    @Valid
    @NotNull
    private WarmupConfiguration warmup = new WarmupConfiguration();

    /** Apply pending schema migrations when the server starts (else run the {@code migrate} command). */
    private boolean migrateOnStart = true;

    /** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
    @Min(1)
    @Max(3600)
    private int retryAfterSeconds = 2;

    /** Answer reads with 503 while this node's health is down, so NGINX retries them elsewhere and ejects the node. */
    private boolean outOfRotationWhenUnhealthy = false;

    @JsonProperty
    public boolean isOutOfRotationWhenUnhealthy() {
        return outOfRotationWhenUnhealthy;
    }

    @JsonProperty
    public void setOutOfRotationWhenUnhealthy(boolean outOfRotationWhenUnhealthy) {
        this.outOfRotationWhenUnhealthy = outOfRotationWhenUnhealthy;
    }

    @JsonProperty("database")
    public DataSourceFactory getDatabase() {
        return database;
    }

    @JsonProperty("database")
    public void setDatabase(DataSourceFactory database) {
        this.database = database;
    }

    @JsonProperty("replicas")
    public ReplicasConfiguration getReplicas() {
        return replicas;
    }

    @JsonProperty("replicas")
    public void setReplicas(ReplicasConfiguration replicas) {
        this.replicas = replicas;
    }

    @JsonProperty("cache")
    public CacheConfiguration getCache() {
        return cache;
    }

    @JsonProperty("cache")
    public void setCache(CacheConfiguration cache) {
        this.cache = cache;
    }

    @JsonProperty("warmup")
    public WarmupConfiguration getWarmup() {
        return warmup;
    }

    @JsonProperty("warmup")
    public void setWarmup(WarmupConfiguration warmup) {
        this.warmup = warmup;
    }

    @JsonProperty("idempotency")
    public IdempotencyConfiguration getIdempotency() {
        return idempotency;
    }

    @JsonProperty("idempotency")
    public void setIdempotency(IdempotencyConfiguration idempotency) {
        this.idempotency = idempotency;
    }

    @JsonProperty("cors")
    public CorsConfiguration getCors() {
        return cors;
    }

    @JsonProperty("cors")
    public void setCors(CorsConfiguration cors) {
        this.cors = cors;
    }

    @JsonProperty("auth")
    public AuthConfiguration getAuth() {
        return auth;
    }

    @JsonProperty("auth")
    public void setAuth(AuthConfiguration auth) {
        this.auth = auth;
    }

    @JsonProperty
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    @JsonProperty
    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }

    @JsonProperty
    public int getRetryAfterSeconds() {
        return retryAfterSeconds;
    }

    @JsonProperty
    public void setRetryAfterSeconds(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
