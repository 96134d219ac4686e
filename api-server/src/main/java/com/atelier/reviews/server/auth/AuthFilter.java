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

/**
 * Applies the {@link AccessGate} to every operation of a {@link ScopedResource}, once Jersey has matched it and
 * before any other filter looks at the input, so a refused request reads no body and touches no database.
 * Preflights never get here (the CORS filter answers them first), nor does {@code /health-check} (a servlet).
 * A request the plain-read path already judged carries that {@link Admission}, used as is.
 */
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String FIELD = "Authorization";
    private static final String KEY_PROPERTY = AuthFilter.class.getName() + ".key";

    private final AccessGate gate;
    private final KeyMetrics metrics;

    public AuthFilter(AccessGate gate, KeyMetrics metrics) {
        this.gate = gate;
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        List<Object> matched = request.getUriInfo().getMatchedResources();
        if (matched.isEmpty() || !(matched.get(0) instanceof ScopedResource resource)) {
            return;
        }
        Scope needed = resource.requiredScope(request.getMethod());
        Admission admission = request.getProperty(Admission.ATTRIBUTE) instanceof Admission judged
                && judged.scope() == needed ? judged
                : gate.admit(needed, request.getHeaderString(HttpHeaders.AUTHORIZATION),
                        request.getHeaderString(WarmupPass.HEADER));
        Caller.bind(admission.caller());
        if (admission.keyName() != null) {
            request.setProperty(KEY_PROPERTY, admission.keyName());
        }
        Admission.Refusal refusal = admission.refusal();
        if (refusal != null) {
            request.abortWith(ErrorResponses.jsonBuilder(refusal.status(), FIELD, refusal.message())
                    .header(refusal.header(), refusal.headerValue()).build());
            return;
        }
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(admission.caller().asSecurityContext(secure));
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
