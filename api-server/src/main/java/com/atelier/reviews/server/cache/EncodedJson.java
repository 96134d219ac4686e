package com.atelier.reviews.server.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An answer already encoded as UTF-8 JSON: what the caches hold, so that a hit writes bytes instead of encoding
 * objects again. The array is never changed after construction (it is shared by every request that answers it).
 */
public final class EncodedJson {

    private final byte[] bytes;
    private final int length;

    EncodedJson(byte[] bytes) {
        this(bytes, bytes.length);
    }

    /** The answer is the first {@code length} bytes (a cached listing's array begins with its first page). */
    EncodedJson(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    public int length() {
        return length;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
