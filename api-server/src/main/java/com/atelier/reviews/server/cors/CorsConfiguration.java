package com.atelier.reviews.server.cors;

import com.atelier.reviews.server.core.IdempotentRequest;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.jetty.servlets.CrossOriginFilter;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cross-origin access for front ends that call the API straight from the browser (Jetty's {@link CrossOriginFilter};
 * the behaviour is documented in openapi.yaml). Only the origins are a deployment's choice; the methods and headers
 * are those of the contract.
 */
public class CorsConfiguration {

    /** One origin: {@code *}, or scheme://host[:port], where the host may hold {@code *} (any subdomain). */
    private static final String ORIGIN = "(\\*|[A-Za-z][A-Za-z0-9+.-]*://[^\\s,/]+)";

    public static final List<String> ALLOWED_METHODS = List.of("GET", "POST", "PUT", "OPTIONS");
    /** The contract's request headers, plus those that browser libraries commonly add. */
    public static final List<String> ALLOWED_HEADERS = List.of("Authorization", "Content-Type", "Idempotency-Key",
            "Accept", "Origin", "X-Requested-With");
    /** The contract's response headers that a page must be able to read (beyond the CORS-safelisted ones). */
    public static final List<String> EXPOSED_HEADERS = List.of("Location", "Review-Id",
            IdempotentRequest.REPLAYED_HEADER, "Retry-After");

    /** Comma-separated origins that may call from a browser; {@code *} means any (the API needs no cookies). */
    @NotNull
    @Pattern(regexp = "\\s*" + ORIGIN + "(\\s*,\\s*" + ORIGIN + ")*\\s*",
            message = "must be *, or comma-separated origins such as https://shop.example or https://*.example.com")
    private String allowedOrigins = "*";

    /** How long a browser may reuse a preflight's answer (Chromium caps it at 2 h). */
    @NotNull
    @MaxDuration(value = 24, unit = TimeUnit.HOURS)
    private Duration preflightMaxAge = Duration.hours(1);

    @JsonProperty
    public String getAllowedOrigins() {
        return allowedOrigins;
    }

    @JsonProperty
    public void setAllowedOrigins(String allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    @JsonProperty
    public Duration getPreflightMaxAge() {
        return preflightMaxAge;
    }

    @JsonProperty
    public void setPreflightMaxAge(Duration preflightMaxAge) {
        this.preflightMaxAge = preflightMaxAge;
    }

    /** Whether every origin is allowed, so that even an answer sent without a parsed request may say {@code *}. */
    @JsonIgnore
    public boolean allowsAnyOrigin() {
        return List.of(allowedOrigins.split(",")).stream().anyMatch(o -> o.trim().equals("*"));
    }

    /**
     * The filter's init parameters. Preflights are answered by the filter itself (not chained), so they never reach
     * the input limits, Jersey or the database; no credentials (a cookie-less API: {@code Authorization} is an
     * ordinary allowed header); no Timing-Allow-Origin.
     */
    @JsonIgnore
    public Map<String, String> filterParameters() {
        return Map.of(
                CrossOriginFilter.ALLOWED_ORIGINS_PARAM, allowedOrigins.trim(),
                CrossOriginFilter.ALLOWED_METHODS_PARAM, String.join(",", ALLOWED_METHODS),
                CrossOriginFilter.ALLOWED_HEADERS_PARAM, String.join(",", ALLOWED_HEADERS),
                CrossOriginFilter.EXPOSED_HEADERS_PARAM, String.join(",", EXPOSED_HEADERS),
                CrossOriginFilter.PREFLIGHT_MAX_AGE_PARAM, Long.toString(preflightMaxAge.toSeconds()),
                CrossOriginFilter.ALLOW_CREDENTIALS_PARAM, "false",
                CrossOriginFilter.CHAIN_PREFLIGHT_PARAM, "false");
    }
}
