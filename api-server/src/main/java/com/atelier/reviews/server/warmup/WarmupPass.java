package com.atelier.reviews.server.warmup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What lets the warm-up's own reads through while the node is out of rotation and, with {@code auth.required},
 * without an API key: a random secret made at start, known only to this process, sent in {@link #HEADER}, and
 * refused once the warm-up is over. It admits reads only (the filters that honour it check that).
 */
public final class WarmupPass {

    public static final String HEADER = "X-Reviews-Warmup";

    private final byte[] secret;
    private volatile boolean open;

    private WarmupPass(boolean open) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.secret = Base64.getUrlEncoder().withoutPadding().encode(random);
        this.open = open;
    }

    /** A pass for a warm-up about to run. */
    public static WarmupPass open() {
        return new WarmupPass(true);
    }

    /** A pass that admits nothing (no warm-up). */
    public static WarmupPass closed() {
        return new WarmupPass(false);
    }

    /** Whether a request presenting this header value is the warm-up's (in constant time). */
    public boolean admits(String presented) {
        return open && presented != null
                && MessageDigest.isEqual(secret, presented.getBytes(StandardCharsets.US_ASCII));
    }

    String value() {
        return new String(secret, StandardCharsets.US_ASCII);
    }

    void close() {
        open = false;
    }
}
