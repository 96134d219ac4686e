package com.atelier.reviews.etl.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CSV file being written: ASCII straight into a byte buffer (the generator writes gigabytes, and all it writes is
 * ASCII), rows separated by LF with none after the last one, like the client's files.
 */
final class CsvOut implements AutoCloseable {

    private final OutputStream out;
    private final byte[] buf = new byte[1 << 20];
    private int size;
    private long rows;
    private boolean fieldStarted;

    CsvOut(Path file, String header) throws IOException {
        this.out = Files.newOutputStream(file);
        raw(header);
    }

    /** Starts a data row (the line break goes before it: no trailing newline at the end of the file). */
    CsvOut row() {
        put('\n');
        fieldStarted = false;
        rows++;
        return this;
    }

    CsvOut num(long value) {
        comma();
        raw(Long.toString(value));
        return this;
    }

    /** A field written as is (unquoted): numbers, {@code true}, {@code null}, or deliberately broken text. */
    CsvOut plain(String text) {
        comma();
        raw(text);
        return this;
    }

    /** A quoted field; quotes inside are doubled. */
    CsvOut quoted(CharSequence text) {
        comma();
        put('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                put('"');
            }
            put(c);
        }
        put('"');
        return this;
    }

    long rows() {
        return rows;
    }

    private void comma() {
        if (fieldStarted) {
            put(',');
        }
        fieldStarted = true;
    }

    private void raw(String s) {
        for (int i = 0; i < s.length(); i++) {
            put(s.charAt(i));
        }
    }

    private void put(char c) {
        if (size == buf.length) {
            flush();
        }
        buf[size++] = (byte) c;
    }

    private void flush() {
        try {
            out.write(buf, 0, size);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        size = 0;
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }
}
