package com.atelier.reviews.server.auth;

import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;

/** Who sent a request: a key's name, or {@code anonymous} on a node that does not require keys. */
public record Caller(String name) implements Principal {

    public static final Caller ANONYMOUS = new Caller("anonymous");

    /**
     * The caller of the request this thread is serving: set by {@link AuthFilter} before every operation of a
     * {@link ScopedResource} (so never stale there) and cleared when its answer goes out. Jersey serves a
     * synchronous resource method on the thread that ran the request filters.
     */
    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    @Override
    public String getName() {
        return name;
    }

    /** Who sent the request being served; anonymous when the auth filter named nobody. */
    public static Caller current() {
        Caller c = CURRENT.get();
        return c == null ? ANONYMOUS : c;
    }

    static void bind(Caller caller) {
        CURRENT.set(caller);
    }

    static void unbind() {
        CURRENT.remove();
    }

    SecurityContext asSecurityContext(boolean secure) {
        Caller self = this;
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return self;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return self == ANONYMOUS ? null : "Bearer";
            }
        };
    }
}
