package com.atelier.reviews.server.auth;

import com.atelier.reviews.server.warmup.WarmupPass;
import jakarta.ws.rs.core.HttpHeaders;

import java.util.Optional;

/**
 * Who may call an operation, decided once per request from its {@code Authorization} header: the rule that both
 * {@link AuthFilter} (every operation Jersey serves) and the two reads' {@code PlainReadFilter} apply.
 *
 * <p>With {@code auth.required}: no key, or one not in use → 401 with {@code WWW-Authenticate}; a key without the
 * operation's scope → 403; over the key's rate → 429 with {@code Retry-After}. Without it, a valid key is still
 * recognised (its name is recorded on reports, its rate limited) and anything else is {@link Caller#ANONYMOUS}.
 * The key itself is never logged nor put in a message. The node's own warm-up reads pass with its {@link WarmupPass}.
 */
public final class AccessGate {

    public static final String REALM = "Bearer realm=\"atelier-reviews\"";
    private static final Caller WARMUP = new Caller("warmup");

    private final ApiKeys keys;
    private final boolean required;
    private final KeyRateLimits limits;
    private final KeyMetrics metrics;
    private final WarmupPass warmup;

    public AccessGate(ApiKeys keys, boolean required, KeyRateLimits limits, KeyMetrics metrics, WarmupPass warmup) {
        this.keys = keys;
        this.required = required;
        this.limits = limits;
        this.metrics = metrics;
        this.warmup = warmup;
    }

    /**
     * The decision for one request needing {@code needed}; it counts the key's request and takes a token of its rate,
     * so it is made once per request ({@link Admission#ATTRIBUTE} carries it to Jersey when the request goes on).
     */
    public Admission admit(Scope needed, String authorization, String warmupHeader) {
        if (needed == Scope.READ && warmup.admits(warmupHeader)) {
            // The node's own warm-up reads: no key exists for it, and no key's rate or metrics should count it.
            return new Admission(needed, WARMUP, null, null);
        }
        Optional<ApiKey> found = authorization == null || authorization.isBlank() ? Optional.empty()
                : keys.find(KeyMaterial.presented(authorization));
        if (found.isEmpty()) {
            if (!required) {
                return new Admission(needed, Caller.ANONYMOUS, null, null);
            }
            metrics.unauthorized.mark();
            return new Admission(needed, Caller.ANONYMOUS, null, new Admission.Refusal(401,
                    authorization == null || authorization.isBlank()
                            ? "an API key is required: send Authorization: Bearer <key>"
                            : "the API key is unknown or revoked",
                    HttpHeaders.WWW_AUTHENTICATE, REALM));
        }
        ApiKey key = found.get();
        metrics.of(key.name()).requests().mark();
        if (required && !key.allows(needed)) {
            metrics.forbidden.mark();
            return new Admission(needed, Caller.ANONYMOUS, key.name(), new Admission.Refusal(403,
                    "the API key '" + key.name() + "' lacks the '" + needed.wire() + "' scope",
                    HttpHeaders.WWW_AUTHENTICATE,
                    REALM + ", error=\"insufficient_scope\", scope=\"" + needed.wire() + "\""));
        }
        long retryAfter = limits.tryAcquire(key.name());
        if (retryAfter > 0) {
            return new Admission(needed, Caller.ANONYMOUS, key.name(), new Admission.Refusal(429,
                    "the API key '" + key.name() + "' sent more than its " + limits.perSecond()
                            + " requests per second", "Retry-After", Long.toString(retryAfter)));
        }
        return new Admission(needed, new Caller(key.name()), key.name(), null);
    }
}
