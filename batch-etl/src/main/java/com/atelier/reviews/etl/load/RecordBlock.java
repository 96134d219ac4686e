package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.CopyTuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The item of a file step: a block of consecutive records of the file as the validator made them, the valid rows as
 * binary COPY tuples laid end to end, the refused ones as {@link Reject}s, and where the block ends in the file.
 * A block rather than a row per item, because Spring Batch's per-item work (a Micrometer timer per read, the
 * chunk's lists) cost more CPU than parsing and validating the row; a chunk is a whole number of blocks, so the
 * restart point is still the end of the last committed chunk.
 */
public final class RecordBlock {

    /** A refused record: the physical line where it starts, its text as in the file, and why. */
    public record Reject(long line, byte[] raw, String reason) {
    }

    private byte[] rows;
    private int rowBytes;
    private int rowCount;
    private final List<Reject> rejects = new ArrayList<>(0);
    private int records;
    private long endOffset;
    private long nextLine;

    RecordBlock(int initialBytes) {
        rows = new byte[Math.max(64, initialBytes)];
    }

    void addRow(CopyTuple tuple) {
        int length = tuple.length();
        if (rowBytes + length > rows.length) {
            rows = java.util.Arrays.copyOf(rows, Math.max(rows.length * 2, rowBytes + length));
        }
        tuple.copyTo(rows, rowBytes);
        rowBytes += length;
        rowCount++;
    }

    void addReject(Reject reject) {
        rejects.add(reject);
    }

    /** One more record of the file is in the block (a row or a reject); the next one starts at {@code offset}. */
    void recordEnds(long offset, long line) {
        records++;
        endOffset = offset;
        nextLine = line;
    }

    void clear() {
        rowBytes = 0;
        rowCount = 0;
        rejects.clear();
        records = 0;
    }

    /** The valid rows as binary COPY tuples, in {@code [0, rowBytes())}. */
    byte[] rowData() {
        return rows;
    }

    int rowBytes() {
        return rowBytes;
    }

    public int rowCount() {
        return rowCount;
    }

    public List<Reject> rejects() {
        return rejects;
    }

    /** Records of the file in the block: rows plus rejects. */
    public int records() {
        return records;
    }

    /** The byte offset just past the block's last record: where the next block starts. */
    public long endOffset() {
        return endOffset;
    }

    /** The physical line at {@link #endOffset()}. */
    public long nextLine() {
        return nextLine;
    }
}
