package com.atelier.reviews.etl.progress;

/**
 * How far the load of one file is, updated by the reader thread and read by the {@link ProgressReporter}: the
 * offset in the file (for the percentage and the ETA, since rows have no known total) and the records read.
 */
public final class FileProgress {

    private final String fileName;
    private final long totalBytes;
    private volatile long offset;
    private volatile long records;
    private volatile long startOffset;
    private volatile long startRecords;
    private volatile long startNanos;
    private volatile boolean active;

    public FileProgress(String fileName, long totalBytes) {
        this.fileName = fileName;
        this.totalBytes = totalBytes;
    }

    /** The step started (or restarted) at this offset, with this many records already read in earlier runs. */
    public void started(long offset, long records) {
        this.startOffset = offset;
        this.startRecords = records;
        this.offset = offset;
        this.records = records;
        this.startNanos = System.nanoTime();
        this.active = true;
    }

    public void advanced(long offset, long records) {
        this.offset = offset;
        this.records = records;
    }

    public void finished() {
        active = false;
    }

    public boolean active() {
        return active;
    }

    /** One line: rows done, percentage of the file, rows/s and ETA in this run. */
    public String describe() {
        long seconds = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000_000L);
        long rowsPerSecond = (records - startRecords) / seconds;
        double bytesPerSecond = (double) (offset - startOffset) / seconds;
        String eta = bytesPerSecond <= 0 ? "?" : duration((long) ((totalBytes - offset) / bytesPerSecond));
        double percent = totalBytes == 0 ? 100 : 100.0 * offset / totalBytes;
        return String.format("%-27s %,13d rows  %5.1f%%  %,9d rows/s  ETA %s", fileName, records, percent,
                rowsPerSecond, eta);
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
