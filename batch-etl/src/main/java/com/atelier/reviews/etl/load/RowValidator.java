package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.CopyTuple;
import com.atelier.reviews.etl.copy.Utf8;
import com.atelier.reviews.etl.csv.CsvParser;
import com.atelier.reviews.etl.csv.CsvRecord;
import com.atelier.reviews.etl.csv.CsvRecord.BadValueException;
import org.springframework.batch.item.ItemStreamException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The item processing of a file step: turns a CSV record into a binary COPY row, or into a reject with the reason,
 * checking everything the database would refuse (types, ranges, NOT NULL, UTF-8, references, an id already seen in
 * the file), so no chunk ever fails on a bad row. One subclass per file. It runs on the reader's parse-ahead thread
 * (see {@link CsvFileReader}), in file order.
 *
 * <p>Duplicate detection remembers the ids accepted so far in the file. After a restart, {@link #replay} rebuilds that
 * memory by validating the already committed part of the file again (nothing is written for it).
 */
public abstract class RowValidator {

    private final SourceFile source;
    private final Path file;
    private final CopyTuple tuple = new CopyTuple();
    private IdSet accepted = new IdSet();
    private boolean replayed;
    private BulkAggregates aggregates;

    protected RowValidator(SourceFile source, Path file) {
        this.source = source;
        this.file = file;
    }

    /** Checks the fields and writes them to the tuple; returns the row id. */
    protected abstract int encode(CsvRecord record, CopyTuple tuple) throws Rejection;

    /**
     * Called when the row just encoded is accepted (its id was not seen before), with the aggregates it counts in
     * (null when this validator counts nothing).
     */
    protected void onAccepted(int id, BulkAggregates counts) {
    }

    /**
     * After a bulk load of the whole file from its first line, the ids this validator accepted are exactly the
     * table's: a file that others refer to hands them over, so the files referring to it need not read them back.
     */
    public void handOverAcceptedIds(ReferenceIds references) {
    }

    /**
     * Validates a record and adds it to {@code block}: as a COPY row, or as a reject with the reason. An accepted
     * row also counts in the aggregates ({@link #countInto}).
     */
    public void validate(CsvRecord record, RecordBlock block) {
        if (record.error() != null) {
            block.addReject(new RecordBlock.Reject(record.line(), record.rawBytes(), record.error()));
            return;
        }
        if (record.fieldCount() != source.columnCount()) {
            block.addReject(new RecordBlock.Reject(record.line(), record.rawBytes(), "wrong column count: expected "
                    + source.columnCount() + ", found " + record.fieldCount()));
            return;
        }
        try {
            tuple.begin(source.columnCount());
            int id = encode(record, tuple);
            if (!accepted.add(id)) {
                block.addReject(new RecordBlock.Reject(record.line(), record.rawBytes(),
                        "duplicate id within the file: " + id));
                return;
            }
            onAccepted(id, aggregates);
            block.addRow(tuple);
        } catch (Rejection r) {
            block.addReject(new RecordBlock.Reject(record.line(), record.rawBytes(), r.getMessage()));
        }
    }

    /** Accepted rows count in {@code aggregates} from now on (a bulk load's in-memory aggregates). */
    public void countInto(BulkAggregates aggregates) {
        this.aggregates = aggregates;
    }

    /**
     * A restart: the records before {@code committedOffset} are in the database (or among the rejects) already;
     * validating them again rebuilds what the validator remembers of them.
     */
    public void replay(long committedOffset) {
        replayed = true;
        try (CsvParser parser = new CsvParser(file, 0, 1)) {
            parser.next(); // header
            RecordBlock scratch = new RecordBlock(1024);
            CsvRecord record;
            while (parser.offset() < committedOffset && (record = parser.next()) != null) {
                validate(record, scratch);
                scratch.clear(); // only what the validator remembers matters here
            }
        } catch (IOException e) {
            throw new ItemStreamException("cannot re-read " + file, e);
        }
    }

    /** True when this run started in the middle of the file (after a failure). */
    public boolean replayed() {
        return replayed;
    }

    /** The ids accepted so far. */
    public IdSet acceptedIds() {
        return accepted;
    }

    // Field helpers for the subclasses: each throws a Rejection naming the column and the value.

    protected static int id(CsvRecord r, int field, String column) throws Rejection {
        int value = integer(r, field, column);
        if (value <= 0) {
            throw new Rejection(column + " must be positive: " + value);
        }
        return value;
    }

    protected static int integer(CsvRecord r, int field, String column) throws Rejection {
        long value = number(r, field, column);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new Rejection("number out of range in " + column + ": '" + r.preview(field) + "'");
        }
        return (int) value;
    }

    protected static long number(CsvRecord r, int field, String column) throws Rejection {
        try {
            return r.parseLong(field);
        } catch (BadValueException e) {
            throw new Rejection("bad number in " + column + ": '" + e.getMessage() + "'");
        }
    }

    protected static int oneToFive(CsvRecord r, int field, String column) throws Rejection {
        int value = integer(r, field, column);
        if (value < 1 || value > 5) {
            throw new Rejection(column + " outside 1-5: " + value);
        }
        return value;
    }

    protected static boolean bool(CsvRecord r, int field, String column) throws Rejection {
        try {
            return r.parseBoolean(field);
        } catch (BadValueException e) {
            throw new Rejection("bad boolean in " + column + ": '" + e.getMessage() + "'");
        }
    }

    /** Text that must be present: an unquoted {@code null} is refused ({@code "null"} quoted is the word). */
    protected static byte[] requiredText(CsvRecord r, int field, String column) throws Rejection {
        if (r.isUnquoted(field, "null")) {
            throw new Rejection("missing " + column + ": null");
        }
        return text(r, field, column);
    }

    /** Text or null: an unquoted {@code null} is SQL NULL. */
    protected static byte[] optionalText(CsvRecord r, int field, String column) throws Rejection {
        return r.isUnquoted(field, "null") ? null : text(r, field, column);
    }

    private static byte[] text(CsvRecord r, int field, String column) throws Rejection {
        byte[] bytes = r.contentBytes(field);
        String problem = Utf8.problem(bytes);
        if (problem != null) {
            throw new Rejection("bad text in " + column + ": " + problem);
        }
        return bytes;
    }

    /** Why a record is refused. Cheap: no stack trace, since a dirty row is an expected event. */
    public static final class Rejection extends Exception {
        public Rejection(String reason) {
            super(reason, null, false, false);
        }
    }
}
