package com.atelier.reviews.server.input;

import java.util.OptionalInt;

/**
 * The one syntax accepted wherever a request writes an integer as text (query and path parameters, numeric strings
 * in a review, characteristic ids): ASCII digits only, at most 2^31-1. Integer.parseInt, Jersey and Jackson would
 * also take "+5", " 5" or other scripts' digits ("５", "١٤").
 */
public final class StrictInteger {

    /** 2^31-1 has 10 digits, so a longer text is out of range (and cannot overflow the long parse below). */
    private static final int MAX_DIGITS = 10;

    private StrictInteger() {
    }

    /** The value of {@code text}, or empty when it is not ASCII digits within int32. */
    public static OptionalInt parse(String text) {
        if (text.isEmpty() || text.length() > MAX_DIGITS) {
            return OptionalInt.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalInt.empty();
            }
        }
        long value = Long.parseLong(text);
        return value <= Integer.MAX_VALUE ? OptionalInt.of((int) value) : OptionalInt.empty();
    }
}
