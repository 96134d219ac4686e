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

    EncodedJson(byte[] bytes) {
        this.bytes = bytes;
    }

    public int length() {
        return bytes.length;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
