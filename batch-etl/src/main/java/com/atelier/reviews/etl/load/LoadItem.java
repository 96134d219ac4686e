package com.atelier.reviews.etl.load;

/** What the validator makes of a CSV record: a row ready for COPY, or a reject with its reason. */
public sealed interface LoadItem {

    /**
     * A valid row: its id, its binary COPY tuple, and what it adds to the aggregates: {@code statsKey} is the product
     * (reviews) or the characteristic (characteristics, characteristic values), 0 for none (photos);
     * {@code statsValue} is what counts (see {@link StatsParts}), 0 for nothing (a reported review, or a value of one).
     */
    record Row(int id, byte[] tuple, int statsKey, int statsValue) implements LoadItem {
    }

    /** A refused record: the physical line where it starts, its text as in the file, and why. */
    record Reject(long line, byte[] raw, String reason) implements LoadItem {
    }
}
