package com.atelier.reviews.etl.csv;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Splits a CSV file (RFC 4180: comma, double quotes, doubled quotes inside quotes, line breaks inside quotes; LF or
 * CRLF) into records, from any byte offset, knowing the physical line of each record and the offset after it. That is
 * what lets a restarted load seek to where the last committed chunk ended instead of parsing the file again.
 *
 * <p>A record with broken quoting does not stop the file: it is returned with {@link CsvRecord#error()} set and
 * reading goes on at the next line (a stray quote at worst takes the rest of its own line with it; an unterminated
 * quote, only the line where the record starts). Blank lines are skipped. Memory is one buffer, whatever the file.
 */
public final class CsvParser implements Closeable {

    /** Longer records are refused (an unterminated quote would otherwise swallow the file). */
    public static final int MAX_RECORD_BYTES = 1 << 20;
    private static final int BUFFER_BYTES = 1 << 20;
    private static final int MAX_FIELDS = 64;

    private final FileChannel channel;
    private byte[] buf = new byte[BUFFER_BYTES];
    private int start; // where the current record starts in buf
    private int limit; // end of valid data in buf
    private long bufOffset; // file offset of buf[0]
    private long line; // physical line of the next record
    private boolean eof;

    private final int[] bounds = new int[2 * MAX_FIELDS];
    private final byte[] flags = new byte[MAX_FIELDS];
    private int fieldCount;

    /** Reads from {@code offset}, where the record on physical line {@code line} starts. */
    public CsvParser(Path file, long offset, long line) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.channel.position(offset);
        this.bufOffset = offset;
        this.line = line;
    }

    /** The next record, or null at the end of the file. */
    public CsvRecord next() throws IOException {
        skipBlankLines();
        if (!available(0)) {
            return null;
        }
        long recordLine = line;
        int newlines = 0;
        fieldCount = 0;
        int i = 0; // position relative to start, so refills may move the buffer
        fields:
        while (true) {
            if (!available(i)) { // the file ends with a comma: one more, empty, field
                addField(i, i, 0);
                return finish(recordLine, i, i, newlines);
            }
            if (buf[start + i] == '"') {
                int contentStart = i + 1;
                byte fieldFlags = CsvRecord.QUOTED;
                i++;
                while (true) {
                    // the quoted text up to the next quote, in a tight loop over what is buffered
                    int stop = Math.min(limit - start, MAX_RECORD_BYTES);
                    byte[] data = buf;
                    int base = start;
                    while (i < stop && data[base + i] != '"') {
                        if (data[base + i] == '\n') {
                            newlines++;
                        }
                        i++;
                    }
                    if (i >= MAX_RECORD_BYTES) {
                        return refuseFirstLine(recordLine, "record longer than " + MAX_RECORD_BYTES
                                + " bytes (an unterminated quote?)");
                    }
                    if (!available(i)) {
                        return refuseFirstLine(recordLine, "broken quoting: unterminated quoted field");
                    }
                    byte b = buf[start + i];
                    if (b == '"') {
                        if (!available(i + 1)) {
                            addField(contentStart, i, fieldFlags);
                            return finish(recordLine, i + 1, i + 1, newlines);
                        }
                        byte next = buf[start + i + 1];
                        if (next == '"') {
                            fieldFlags |= CsvRecord.HAS_ESCAPED_QUOTES;
                            i += 2;
                            continue;
                        }
                        addField(contentStart, i, fieldFlags);
                        if (next == ',') {
                            i += 2;
                            continue fields;
                        }
                        if (next == '\n') {
                            return finish(recordLine, i + 1, i + 2, newlines);
                        }
                        if (next == '\r' && available(i + 2) && buf[start + i + 2] == '\n') {
                            return finish(recordLine, i + 1, i + 3, newlines);
                        }
                        return refuseRestOfLine(recordLine, i + 1, newlines,
                                "broken quoting: text after a closing quote");
                    }
                    if (b == '\n') {
                        newlines++;
                    }
                    i++;
                }
            }
            int fieldStart = i;
            while (true) {
                // up to the next comma, line break or quote, in a tight loop over what is buffered
                int stop = Math.min(limit - start, MAX_RECORD_BYTES);
                byte[] data = buf;
                int base = start;
                while (i < stop) {
                    byte c = data[base + i];
                    if (c == ',' || c == '\n' || c == '"') {
                        break;
                    }
                    i++;
                }
                if (i >= MAX_RECORD_BYTES) {
                    return refuseFirstLine(recordLine, "record longer than " + MAX_RECORD_BYTES + " bytes");
                }
                if (!available(i)) {
                    addField(fieldStart, i, 0);
                    return finish(recordLine, i, i, newlines);
                }
                byte b = buf[start + i];
                if (b == ',') {
                    addField(fieldStart, i, 0);
                    i++;
                    continue fields;
                }
                if (b == '\n') {
                    int end = i > fieldStart && buf[start + i - 1] == '\r' ? i - 1 : i;
                    addField(fieldStart, end, 0);
                    return finish(recordLine, end, i + 1, newlines);
                }
                if (b == '"') {
                    return refuseRestOfLine(recordLine, i, newlines, "broken quoting: a quote inside an unquoted field");
                }
                i++;
            }
        }
    }

    /** The file offset of the next record. */
    public long offset() {
        return bufOffset + start;
    }

    /** The physical line of the next record. */
    public long line() {
        return line;
    }

    private void skipBlankLines() throws IOException {
        while (available(0)) {
            byte b = buf[start];
            if (b == '\n') {
                consume(1);
                line++;
            } else if (b == '\r' && available(1) && buf[start + 1] == '\n') {
                consume(2);
                line++;
            } else {
                return;
            }
        }
    }

    private void addField(int from, int to, int fieldFlags) {
        if (fieldCount < MAX_FIELDS) {
            bounds[2 * fieldCount] = from;
            bounds[2 * fieldCount + 1] = to;
            flags[fieldCount] = (byte) fieldFlags;
        }
        fieldCount++;
    }

    /** Ends a good record: its text is [0, textEnd), the next one starts at {@code next}. */
    private CsvRecord finish(long recordLine, int textEnd, int next, int newlines) {
        byte[] raw = Arrays.copyOfRange(buf, start, start + textEnd);
        int kept = Math.min(fieldCount, MAX_FIELDS);
        line = recordLine + newlines + 1;
        CsvRecord record = new CsvRecord(raw, Arrays.copyOf(bounds, 2 * kept), Arrays.copyOf(flags, kept), fieldCount,
                recordLine, offset() + next, line, null);
        consume(next);
        return record;
    }

    /** A quoting error found at {@code at}: the record is refused up to the end of that physical line. */
    private CsvRecord refuseRestOfLine(long recordLine, int at, int newlines, String reason) throws IOException {
        int i = at;
        while (i < MAX_RECORD_BYTES && available(i) && buf[start + i] != '\n') {
            i++;
        }
        int textEnd = i > 0 && buf[start + i - 1] == '\r' ? i - 1 : i;
        int next = available(i) && buf[start + i] == '\n' ? i + 1 : i;
        line = recordLine + newlines + 1;
        CsvRecord record = new CsvRecord(Arrays.copyOfRange(buf, start, start + textEnd), new int[0], new byte[0], 0,
                recordLine, offset() + next, line, reason);
        consume(next);
        return record;
    }

    /** An unterminated quote: only the line where the record starts is refused; reading resumes on the next one. */
    private CsvRecord refuseFirstLine(long recordLine, String reason) throws IOException {
        int i = 0;
        while (i < MAX_RECORD_BYTES && available(i) && buf[start + i] != '\n') {
            i++;
        }
        int textEnd = i > 0 && buf[start + i - 1] == '\r' ? i - 1 : i;
        int next = available(i) && buf[start + i] == '\n' ? i + 1 : i;
        line = recordLine + 1;
        CsvRecord record = new CsvRecord(Arrays.copyOfRange(buf, start, start + textEnd), new int[0], new byte[0], 0,
                recordLine, offset() + next, line, reason);
        consume(next);
        return record;
    }

    private void consume(int bytes) {
        start += bytes;
    }

    /** True when buf holds the byte at start + i, reading more of the file (and moving the record) if needed. */
    private boolean available(int i) throws IOException {
        while (start + i >= limit) {
            if (eof) {
                return false;
            }
            fill();
        }
        return true;
    }

    private void fill() throws IOException {
        if (start > 0) { // move the current record to the front
            System.arraycopy(buf, start, buf, 0, limit - start);
            limit -= start;
            bufOffset += start;
            start = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2); // a record longer than the buffer (up to MAX_RECORD_BYTES)
        }
        int n = channel.read(ByteBuffer.wrap(buf, limit, buf.length - limit));
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
