package com.atelier.reviews.server.health;

import com.atelier.reviews.contract.model.ErrorMessage;
import com.atelier.reviews.server.warmup.WarmupPass;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.health.HealthEnvironment;
import io.dropwizard.health.HealthStateAggregator;
import io.dropwizard.health.HealthStatusChecker;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Takes an unhealthy node out of NGINX's rotation with passive checks only. While the node's health (critical checks
 * of the {@code health:} config, or the delayed-shutdown drain) is down, it answers GET and HEAD with 503 +
 * Retry-After, which NGINX ({@code proxy_next_upstream http_503}) retries on another node and counts toward
 * {@code max_fails}, ejecting this node for {@code fail_timeout}. Other methods are still served (NGINX must not
 * retry them), with {@code Connection: close} so that the proxy stops reusing connections to this node: it then never
 * sends a request on a connection that the node closes when it stops.
 */
public final class OutOfRotationFilter implements Filter {

    static final String MESSAGE = "this node is out of rotation (unhealthy or shutting down)";

    private final HealthEnvironment health;
    private final int retryAfterSeconds;
    private final byte[] body;
    private final WarmupPass warmup;

    public OutOfRotationFilter(HealthEnvironment health, int retryAfterSeconds, ObjectMapper json, WarmupPass warmup) {
        this.health = health;
        this.warmup = warmup;
        this.retryAfterSeconds = retryAfterSeconds;
        try {
            this.body = json.writeValueAsBytes(new ErrorMessage().code(503).message(MESSAGE));
        } catch (IOException e) {
            throw new IllegalStateException("cannot render the out-of-rotation answer", e);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // The warm-up's own reads are what makes the node healthy: they pass while it is out.
        if (isHealthy() || warmup.admits(((HttpServletRequest) request).getHeader(WarmupPass.HEADER))) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse http = (HttpServletResponse) response;
        http.setHeader("Connection", "close");
        String method = ((HttpServletRequest) request).getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            http.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
            http.setContentType("application/json");
            http.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            http.setContentLength(body.length);
            http.getOutputStream().write(body);
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean isHealthy() {
        HealthStateAggregator aggregator = health.healthStateAggregator();
        return !(aggregator instanceof HealthStatusChecker checker) || checker.isHealthy();
    }
}
