package com.atelier.reviews.etl.load;

/** What the validator makes of a CSV record: a row ready for COPY, or a reject with its reason. */
public sealed interface LoadItem {

    /** A valid row: its id and its binary COPY tuple. */
    record Row(int id, byte[] tuple) implements LoadItem {
    }

    /** A refused record: the physical line where it starts, its text as in the file, and why. */
    record Reject(long line, byte[] raw, String reason) implements LoadItem {
    }
}
