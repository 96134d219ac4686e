package com.atelier.reviews.server.auth;

import com.atelier.reviews.server.errors.ErrorResponses;
import com.atelier.reviews.server.warmup.WarmupPass;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.List;
import java.util.Optional;

/**
 * Checks the {@code Authorization} key of every operation of a {@link ScopedResource}, once Jersey has matched it
 * and before any other filter looks at the input, so a refused request reads no body and touches no database.
 * Preflights never get here (the CORS filter answers them first), nor does {@code /health-check} (a servlet).
 *
 * <p>With {@code auth.required}: no key, or one not in use → 401 with {@code WWW-Authenticate}; a key without the
 * operation's scope → 403; over the key's rate → 429 with {@code Retry-After}. Without it, a valid key is still
 * recognised (its name is recorded on reports, its rate limited) and anything else is {@link Caller#ANONYMOUS}.
 * The key itself is never logged nor put in a message. The node's own warm-up reads pass with its {@link WarmupPass}.
 */
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String REALM = "Bearer realm=\"atelier-reviews\"";
    static final String FIELD = "Authorization";
    private static final String KEY_PROPERTY = AuthFilter.class.getName() + ".key";
    private static final Caller WARMUP = new Caller("warmup");

    private final ApiKeys keys;
    private final boolean required;
    private final KeyRateLimits limits;
    private final KeyMetrics metrics;
    private final WarmupPass warmup;

    public AuthFilter(ApiKeys keys, boolean required, KeyRateLimits limits, KeyMetrics metrics, WarmupPass warmup) {
        this.keys = keys;
        this.required = required;
        this.limits = limits;
        this.metrics = metrics;
        this.warmup = warmup;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        List<Object> matched = request.getUriInfo().getMatchedResources();
        if (matched.isEmpty() || !(matched.get(0) instanceof ScopedResource resource)) {
            return;
        }
        Caller.bind(Caller.ANONYMOUS);
        Scope needed = resource.requiredScope(request.getMethod());
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        if (needed == Scope.READ && warmup.admits(request.getHeaderString(WarmupPass.HEADER))) {
            // The node's own warm-up reads: no key exists for it, and no key's rate or metrics should count it.
            Caller.bind(WARMUP);
            request.setSecurityContext(WARMUP.asSecurityContext(secure));
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Optional<ApiKey> found = header == null || header.isBlank() ? Optional.empty()
                : keys.find(KeyMaterial.presented(header));
        if (found.isEmpty()) {
            if (required) {
                metrics.unauthorized.mark();
                request.abortWith(ErrorResponses.jsonBuilder(401, FIELD, header == null || header.isBlank()
                                ? "an API key is required: send Authorization: Bearer <key>"
                                : "the API key is unknown or revoked")
                        .header(HttpHeaders.WWW_AUTHENTICATE, REALM).build());
            } else {
                request.setSecurityContext(Caller.ANONYMOUS.asSecurityContext(secure));
            }
            return;
        }
        ApiKey key = found.get();
        request.setProperty(KEY_PROPERTY, key.name());
        metrics.of(key.name()).requests().mark();
        if (required && !key.allows(needed)) {
            metrics.forbidden.mark();
            request.abortWith(ErrorResponses.jsonBuilder(403, FIELD,
                            "the API key '" + key.name() + "' lacks the '" + needed.wire() + "' scope")
                    .header(HttpHeaders.WWW_AUTHENTICATE,
                            REALM + ", error=\"insufficient_scope\", scope=\"" + needed.wire() + "\"")
                    .build());
            return;
        }
        long retryAfter = limits.tryAcquire(key.name());
        if (retryAfter > 0) {
            request.abortWith(ErrorResponses.jsonBuilder(429, FIELD, "the API key '" + key.name()
                            + "' sent more than its " + limits.perSecond() + " requests per second")
                    .header("Retry-After", retryAfter).build());
            return;
        }
        Caller caller = new Caller(key.name());
        Caller.bind(caller);
        request.setSecurityContext(caller.asSecurityContext(secure));
    }

    /** Counts each key's client errors and rate-limited answers (aborted answers come through here too). */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Caller.unbind();
        if (request.getProperty(KEY_PROPERTY) instanceof String name) {
            int status = response.getStatus();
            if (status >= 400 && status < 500) {
                KeyMetrics.PerKey perKey = metrics.of(name);
                perKey.clientErrors().mark();
                if (status == 429) {
                    perKey.rateLimited().mark();
                }
            }
        }
    }
}
