package com.atelier.reviews.server.health;

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
 * retry them), with {@code Connection: close} so that the proxy stops reusing connections to this node.
 */
public final class OutOfRotationFilter implements Filter {

    private final HealthEnvironment health;
    private final int retryAfterSeconds;

    public OutOfRotationFilter(HealthEnvironment health, int retryAfterSeconds) {
        this.health = health;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (isHealthy()) {
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
            http.getWriter().write("{\"message\":\"this node is out of rotation (unhealthy or shutting down)\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean isHealthy() {
        HealthStateAggregator aggregator = health.healthStateAggregator();
        return !(aggregator instanceof HealthStatusChecker checker) || checker.isHealthy();
    }
}
