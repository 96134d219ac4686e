package com.atelier.reviews.etl.csv;

import java.nio.charset.StandardCharsets;

/**
 * One record of a CSV file as read: its bytes, where its fields are, and where it sits in the file. Values stay bytes
 * until asked for, since most of them go to PostgreSQL as bytes anyway.
 */
public final class CsvRecord {

    static final byte QUOTED = 1;
    static final byte HAS_ESCAPED_QUOTES = 2;

    private final byte[] raw;
    private final int[] bounds; // start, end (exclusive) of each field's content in raw, quotes excluded
    private final byte[] flags;
    private final int fieldCount;
    private final long line;
    private final long endOffset;
    private final long nextLine;
    private final String error;

    CsvRecord(byte[] raw, int[] bounds, byte[] flags, int fieldCount, long line, long endOffset, long nextLine,
              String error) {
        this.raw = raw;
        this.bounds = bounds;
        this.flags = flags;
        this.fieldCount = fieldCount;
        this.line = line;
        this.endOffset = endOffset;
        this.nextLine = nextLine;
        this.error = error;
    }

    /** The physical line (1 = the header) where the record starts. */
    public long line() {
        return line;
    }

    /** The byte offset just past the record and its line break: where the next record starts. */
    public long endOffset() {
        return endOffset;
    }

    /** The physical line at {@link #endOffset()}. */
    public long nextLine() {
        return nextLine;
    }

    /** Why the record could not be split into fields (broken quoting), or null. */
    public String error() {
        return error;
    }

    public int fieldCount() {
        return fieldCount;
    }

    /** The record's text as it is in the file, without its final line break. */
    public byte[] rawBytes() {
        return raw;
    }

    public boolean isQuoted(int field) {
        return (flags[field] & QUOTED) != 0;
    }

    public int length(int field) {
        return bounds[2 * field + 1] - bounds[2 * field];
    }

    /** True when the field is the given text unquoted, such as {@code null} (which quoted is just a word). */
    public boolean isUnquoted(int field, String literal) {
        if (isQuoted(field) || length(field) != literal.length()) {
            return false;
        }
        int start = bounds[2 * field];
        for (int i = 0; i < literal.length(); i++) {
            if (raw[start + i] != literal.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The field as a number made of ASCII digits with an optional minus sign, or throws. */
    public long parseLong(int field) throws BadValueException {
        int start = bounds[2 * field];
        int end = bounds[2 * field + 1];
        boolean negative = start < end && raw[start] == '-';
        int i = negative ? start + 1 : start;
        if (i == end || end - i > 18) {
            throw new BadValueException(preview(field));
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = raw[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new BadValueException(preview(field));
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    /** {@code true} or {@code false} (any case), or throws. */
    public boolean parseBoolean(int field) throws BadValueException {
        if (equalsIgnoreCase(field, "true")) {
            return true;
        }
        if (equalsIgnoreCase(field, "false")) {
            return false;
        }
        throw new BadValueException(preview(field));
    }

    private boolean equalsIgnoreCase(int field, String word) {
        if (length(field) != word.length()) {
            return false;
        }
        int start = bounds[2 * field];
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase((char) raw[start + i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The field's content: quotes removed, doubled quotes made single. Bytes as in the file (UTF-8). */
    public byte[] contentBytes(int field) {
        int start = bounds[2 * field];
        int end = bounds[2 * field + 1];
        if ((flags[field] & HAS_ESCAPED_QUOTES) == 0) {
            byte[] copy = new byte[end - start];
            System.arraycopy(raw, start, copy, 0, copy.length);
            return copy;
        }
        byte[] out = new byte[end - start];
        int n = 0;
        for (int i = start; i < end; i++) {
            out[n++] = raw[i];
            if (raw[i] == '"') {
                i++; // the second quote of a doubled pair
            }
        }
        byte[] trimmed = new byte[n];
        System.arraycopy(out, 0, trimmed, 0, n);
        return trimmed;
    }

    public String text(int field) {
        return new String(contentBytes(field), StandardCharsets.UTF_8);
    }

    /** The field for an error message: at most 40 characters. */
    public String preview(int field) {
        String text = new String(raw, bounds[2 * field], Math.min(length(field), 160), StandardCharsets.UTF_8);
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    /** Thrown for a field that is not a value of the column's type. */
    public static final class BadValueException extends Exception {
        public BadValueException(String value) {
            super(value, null, false, false); // no stack trace: a dirty row is not an exceptional event
        }
    }
}
