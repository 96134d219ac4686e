package com.atelier.reviews.server.db;

/**
 * What a server connection has of the primary's WAL, in bytes from 0/0: {@code replayed} is visible to statements
 * that start after it was read; {@code received} is what the standby has been sent. Both are null on a primary.
 */
public record ReplayPosition(boolean inRecovery, Long replayed, Long received) {

    /** True when statements here see everything the server has received (always, on a primary). */
    public boolean caughtUp() {
        return !inRecovery || (replayed != null && received != null && replayed >= received);
    }

    /** True when statements here see every commit up to {@code position} (always, on a primary). */
    public boolean hasReplayed(long position) {
        return !inRecovery || (replayed != null && replayed >= position);
    }
}
