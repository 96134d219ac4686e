package com.atelier.reviews.etl.copy;

/**
 * The check PostgreSQL makes on text it receives (valid UTF-8, no NUL byte), made before sending it, so a bad
 * byte rejects one row instead of failing a whole COPY.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** Null when {@code bytes} is text PostgreSQL accepts, else what is wrong with it. */
    public static String problem(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
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
