package com.atelier.reviews.etl.copy;

import java.util.Arrays;

/**
 * Builds rows in PostgreSQL's binary COPY format (a field count, then each field as a length and its bytes in the
 * type's binary form), which the server stores without parsing text. One builder is reused for every row.
 */
public final class CopyTuple {

    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix milliseconds. */
    private static final long POSTGRES_EPOCH_MILLIS = 946_684_800_000L;

    private byte[] bytes = new byte[1024];
    private int size;

    /** Starts a row of {@code fields} fields. */
    public CopyTuple begin(int fields) {
        size = 0;
        putShort(fields);
        return this;
    }

    public CopyTuple int4(int value) {
        putInt(4);
        putInt(value);
        return this;
    }

    public CopyTuple int2(int value) {
        putInt(2);
        putShort(value);
        return this;
    }

    public CopyTuple int8(long value) {
        putInt(8);
        putLong(value);
        return this;
    }

    public CopyTuple bool(boolean value) {
        putInt(1);
        ensure(1);
        bytes[size++] = (byte) (value ? 1 : 0);
        return this;
    }

    /** Text as UTF-8 bytes (already checked with {@link Utf8}). */
    public CopyTuple text(byte[] utf8) {
        putInt(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
        return this;
    }

    public CopyTuple text(String value) {
        return text(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A timestamptz: microseconds since PostgreSQL's epoch. */
    public CopyTuple timestampFromEpochMillis(long epochMillis) {
        return int8((epochMillis - POSTGRES_EPOCH_MILLIS) * 1000);
    }

    public CopyTuple nullValue() {
        putInt(-1);
        return this;
    }

    /** The row built since {@link #begin}. */
    public byte[] toBytes() {
        return Arrays.copyOf(bytes, size);
    }

    /** The size in bytes of the row built since {@link #begin}. */
    public int length() {
        return size;
    }

    /** Copies the row built since {@link #begin} to {@code dest} at {@code offset} (no allocation). */
    public void copyTo(byte[] dest, int offset) {
        System.arraycopy(bytes, 0, dest, offset, size);
    }

    private void putShort(int v) {
        ensure(2);
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
    }

    private void putInt(int v) {
        ensure(4);
        bytes[size++] = (byte) (v >>> 24);
        bytes[size++] = (byte) (v >>> 16);
        bytes[size++] = (byte) (v >>> 8);
        bytes[size++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
