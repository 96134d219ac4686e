package com.atelier.reviews.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** How keys are made, named, read from a request and hashed: the one definition of each. */
public final class KeyMaterial {

    /** Key names: they appear in metric names and the audit, so no spaces or dots-only tricks. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final String NAME_RULE = "1 to 64 of A-Z a-z 0-9 . _ - (starting with a letter or digit)";
    /** An imported token: printable ASCII without spaces, long enough not to be guessed. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]{16,512}");
    public static final String TOKEN_RULE = "16 to 512 printable ASCII characters without spaces";
    /** 32 random bytes: 256 bits, well past the 128 the issue asks for. */
    private static final int KEY_BYTES = 32;
    private static final String PREFIX = "atr_";
    private static final String BEARER = "Bearer ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyMaterial() {
    }

    public static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static boolean validToken(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /**
     * The key in an Authorization header: {@code Bearer <key>} (any case of "Bearer"), or the whole value, which is
     * what the legacy front ends send.
     */
    public static String presented(String header) {
        String value = header.trim();
        if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return value.substring(BEARER.length()).trim();
        }
        return value;
    }

    /**
     * SHA-256: keys are 256 random bits (imported tokens at least 16 characters), so a slow password hash would buy
     * nothing and cost every request.
     */
    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
