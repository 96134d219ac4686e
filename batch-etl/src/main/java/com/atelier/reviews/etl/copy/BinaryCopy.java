package com.atelier.reviews.etl.copy;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One {@code COPY ... FROM STDIN (FORMAT binary)} on a connection (inside the caller's transaction), streamed in
 * 256 KiB messages so the server works while the rest is still being sent.
 */
public final class BinaryCopy implements AutoCloseable {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
            0, 0, 0, 0, // flags
            0, 0, 0, 0}; // header extension length
    private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
    private static final int MESSAGE_BYTES = 256 * 1024;

    private final CopyIn copyIn;
    private final byte[] buffer = new byte[MESSAGE_BYTES];
    private int size;
    private boolean ended;

    private BinaryCopy(CopyIn copyIn) {
        this.copyIn = copyIn;
    }

    /** Starts COPY into {@code table (columns)}. */
    public static BinaryCopy into(Connection connection, String table, Iterable<String> columns) throws SQLException {
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT binary)";
        BinaryCopy copy = new BinaryCopy(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql));
        copy.write(HEADER);
        return copy;
    }

    /** One tuple made by {@link CopyTuple}. */
    public void write(byte[] tuple) throws SQLException {
        write(tuple, 0, tuple.length);
    }

    /** Tuples made by {@link CopyTuple}, laid end to end in {@code data[offset, offset + length)}. */
    public void write(byte[] data, int offset, int length) throws SQLException {
        if (size + length > buffer.length) {
            flush();
            if (length > buffer.length) {
                copyIn.writeToCopy(data, offset, length);
                return;
            }
        }
        System.arraycopy(data, offset, buffer, size, length);
        size += length;
    }

    /** Ends the COPY; returns the rows the server stored. */
    public long finish() throws SQLException {
        write(TRAILER);
        flush();
        ended = true;
        return copyIn.endCopy();
    }

    private void flush() throws SQLException {
        if (size > 0) {
            copyIn.writeToCopy(buffer, 0, size);
            size = 0;
        }
    }

    /** Cancels a COPY that did not finish (the transaction is rolled back anyway). */
    @Override
    public void close() throws SQLException {
        if (!ended && copyIn.isActive()) {
            copyIn.cancelCopy();
        }
    }
}
