package com.atelier.reviews.server.core;

import com.atelier.reviews.server.errors.ApiException;
import com.atelier.reviews.server.input.InputLimits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A write sent with an {@code Idempotency-Key} header (IETF draft-ietf-httpapi-idempotency-key-header): the key and
 * the SHA-256 of what the request asks for (method, path and canonical body), so that reusing the key for another
 * request can be told apart from a retry.
 */
public record IdempotentRequest(String key, byte[] requestHash) {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** The header's key, or null when the header is absent; 400 naming the header when it is malformed. */
    public static String validKey(String header) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.length() > InputLimits.MAX_IDEMPOTENCY_KEY) {
            throw ApiException.badRequest(HEADER, HEADER + " must be 1 to " + InputLimits.MAX_IDEMPOTENCY_KEY
                    + " characters, not " + header.length());
        }
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw ApiException.badRequest(HEADER, HEADER + " must be printable ASCII (character " + (i + 1)
                        + " is not)");
            }
        }
        return header;
    }

    /** The request to claim {@code key} for, or null without a key. */
    public static IdempotentRequest of(String key, String method, String path, String canonicalBody) {
        if (key == null) {
            return null;
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((method + ' ' + path + '\n').getBytes(StandardCharsets.UTF_8));
            sha256.update(canonicalBody.getBytes(StandardCharsets.UTF_8));
            return new IdempotentRequest(key, sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static ApiException reusedForAnotherRequest() {
        return ApiException.invalid(HEADER, HEADER + " was already used for a different request;"
                + " send a new key for a new request");
    }
}
