package com.atelier.reviews.etl.load;

import org.springframework.batch.item.ExecutionContext;

/**
 * What the load of one file did, across every run of its step (restarts included): kept in the step's
 * ExecutionContext and committed with each chunk, so the totals after a crash are those of the committed chunks.
 */
public final class LoadCounts {

    static final String INSERTED = "load.inserted";
    static final String UPDATED = "load.updated";
    static final String UNCHANGED = "load.unchanged";
    static final String REJECTED = "load.rejected";
    static final String MILLIS = "load.millis";

    long inserted;
    long updated;
    long unchanged;
    long rejected;
    long millis;

    public static LoadCounts from(ExecutionContext context) {
        LoadCounts c = new LoadCounts();
        c.inserted = context.getLong(INSERTED, 0);
        c.updated = context.getLong(UPDATED, 0);
        c.unchanged = context.getLong(UNCHANGED, 0);
        c.rejected = context.getLong(REJECTED, 0);
        c.millis = context.getLong(MILLIS, 0);
        return c;
    }

    void saveTo(ExecutionContext context) {
        context.putLong(INSERTED, inserted);
        context.putLong(UPDATED, updated);
        context.putLong(UNCHANGED, unchanged);
        context.putLong(REJECTED, rejected);
        context.putLong(MILLIS, millis);
    }

    public long inserted() {
        return inserted;
    }

    public long updated() {
        return updated;
    }

    public long unchanged() {
        return unchanged;
    }

    public long rejected() {
        return rejected;
    }

    /** Time spent loading the file, in all runs together. */
    public long millis() {
        return millis;
    }

    /** Rows now in the table from this file: inserted, updated or already there as they are. */
    public long written() {
        return inserted + updated + unchanged;
    }
}
