package com.atelier.reviews.etl.copy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The check PostgreSQL makes on text it receives (valid UTF-8, no NUL byte), made before sending it, so a bad
 * byte rejects one row instead of failing a whole COPY.
 */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private Utf8() {
    }

    /** Null when {@code bytes} is text PostgreSQL accepts, else what is wrong with it. */
    public static String problem(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            // eight ASCII bytes at a time, none of them NUL: the common case
            while (i + 8 <= n) {
                long word = (long) LONGS.get(bytes, i);
                if ((word & HIGH_BITS) != 0 || ((word - LOW_BITS) & ~word & HIGH_BITS) != 0) {
                    break;
                }
                i += 8;
            }
            if (i >= n) {
                break;
            }
            int b = bytes[i];
            if (b > 0) { // ASCII, the common case
                i++;
                continue;
            }
            if (b == 0) {
                return "NUL character";
            }
            int lead = b & 0xFF;
            int length;
            int min;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                min = 0x800;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                min = 0x10000;
            } else {
                return "invalid UTF-8 byte 0x" + Integer.toHexString(lead);
            }
            if (i + length > n) {
                return "truncated UTF-8 sequence";
            }
            int code = lead & (0xFF >> (length + 1));
            for (int k = 1; k < length; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return "invalid UTF-8 sequence";
                }
                code = (code << 6) | (c & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                return "invalid UTF-8 sequence";
            }
            i += length;
        }
        return null;
    }
}
