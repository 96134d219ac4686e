package com.atelier.reviews.server.auth;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A key in use, as a node holds it in memory: its name, the SHA-256 of the key (never the key) and its scopes, plus
 * when this node last saw it (flushed to the database in the background by {@link ApiKeys}).
 */
public final class ApiKey {

    private final String name;
    private final byte[] hash;
    private final Set<Scope> scopes;
    private final AtomicLong lastUsedMillis = new AtomicLong();

    public ApiKey(String name, byte[] hash, Set<Scope> scopes) {
        this.name = name;
        this.hash = hash;
        this.scopes = Set.copyOf(scopes);
    }

    public String name() {
        return name;
    }

    byte[] hash() {
        return hash;
    }

    public Set<Scope> scopes() {
        return scopes;
    }

    public boolean allows(Scope scope) {
        return scopes.contains(scope);
    }

    /** A plain store on the hot path; the flush reads it later. */
    void touch(long nowMillis) {
        lastUsedMillis.lazySet(nowMillis);
    }

    long lastUsedMillis() {
        return lastUsedMillis.get();
    }
}
