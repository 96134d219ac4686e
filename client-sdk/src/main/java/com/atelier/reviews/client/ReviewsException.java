package com.atelier.reviews.client;

import com.atelier.reviews.client.invoker.ApiException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * A failed call, decoded once for every caller: the status ({@code 0} when no HTTP answer came), the field at fault
 * and the message of the API's {@code ErrorMessage} JSON, the legacy {@code 422} text for {@code product_id}, and
 * {@code Retry-After}. It extends the generated (unchecked) {@link ApiException}, so the raw headers and body stay
 * available.
 */
public class ReviewsException extends ApiException {

    private static final long serialVersionUID = 1L;
    /** The legacy API's exact body for a missing or invalid {@code product_id} (422, text/plain). */
    public static final String INVALID_PRODUCT_ID_TEXT = "Error: invalid product_id provided";
    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(429, 502, 503, 504);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String field;
    private final String errorMessage;
    private final Duration retryAfter;
    private final int attempts;

    private ReviewsException(ApiException e, String field, String errorMessage, Duration retryAfter, int attempts) {
        super(summary(e.getCode(), field, errorMessage), e.getCause() != null ? e.getCause() : e, e.getCode(),
                e.getResponseHeaders(), e.getResponseBody());
        this.field = field;
        this.errorMessage = errorMessage;
        this.retryAfter = retryAfter;
        this.attempts = attempts;
    }

    /** Decodes an exception thrown by the generated API (returns it as is when it already is one). */
    public static ReviewsException from(ApiException e) {
        return e instanceof ReviewsException r ? r : decode(e, 1);
    }

    static ReviewsException from(ApiException e, int attempts) {
        return e instanceof ReviewsException r ? new ReviewsException(r, r.field, r.errorMessage, r.retryAfter, attempts)
                : decode(e, attempts);
    }

    private static ReviewsException decode(ApiException e, int attempts) {
        String body = e.getResponseBody();
        if (e.getCode() == 0) {
            Throwable cause = e.getCause();
            String what = cause == null ? String.valueOf(e.getMessage())
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new ReviewsException(e, null, what, null, attempts);
        }
        String field = null;
        String message = body == null || body.isBlank() ? e.getMessage() : body.strip();
        if (body != null && body.stripLeading().startsWith("{")) {
            try {
                JsonNode error = JSON.readTree(body);
                field = error.path("field").isTextual() ? error.get("field").asText() : null;
                message = error.path("message").isTextual() ? error.get("message").asText() : message;
            } catch (JsonProcessingException notJson) {
                // Not the API's JSON (a proxy's page, say): the raw body is the message.
            }
        }
        return new ReviewsException(e, field, message, retryAfter(e.getResponseHeaders()), attempts);
    }

    /** Delta-seconds or an HTTP-date (RFC 9110 §10.2.3); anything else is ignored. */
    private static Duration retryAfter(HttpHeaders headers) {
        Optional<String> value = headers == null ? Optional.empty() : headers.firstValue("Retry-After");
        if (value.isEmpty()) {
            return null;
        }
        String v = value.get().strip();
        try {
            if (v.matches("[0-9]{1,9}")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return maxZero(Duration.between(Instant.now(), at));
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }

    private static Duration maxZero(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String summary(int status, String field, String message) {
        return (status == 0 ? "no answer" : "HTTP " + status) + (field == null ? "" : " [" + field + "]") + ": "
                + message;
    }

    /** The HTTP status, or {@code 0} when no answer came (connection refused or reset, timeout). */
    public int status() {
        return getCode();
    }

    /** The request field, parameter or header at fault ({@code count}, {@code photos[2]}, {@code Content-Type}). */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** What went wrong, in words: the API's message, the legacy text, or the transport failure. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The legacy answer to a missing or invalid {@code product_id}: {@code 422} with a text body, no JSON. */
    public boolean isInvalidProductId() {
        return getCode() == 422 && INVALID_PRODUCT_ID_TEXT.equals(errorMessage);
    }

    /** No HTTP answer: the connection was refused, reset or timed out. */
    public boolean isTransportError() {
        // An unreadable 2xx body (JsonProcessingException) is an IOException too, but an answer came.
        return getCode() == 0 && getCause() instanceof IOException && !(getCause() instanceof JsonProcessingException);
    }

    /** The connect or read timeout ran out. */
    public boolean isTimeout() {
        return getCode() == 0 && getCause() instanceof HttpTimeoutException;
    }

    /** How long the server asked to wait before retrying ({@code 429}, {@code 503}, and the proxy's 502/504). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Worth retrying (with the same {@code Idempotency-Key} for a write): a transport error, 429, 502, 503 or 504. */
    public boolean isRetryable() {
        return isTransportError() || RETRYABLE_STATUSES.contains(getCode());
    }

    /** How many attempts the client made before giving up with this error. */
    public int attempts() {
        return attempts;
    }
}
