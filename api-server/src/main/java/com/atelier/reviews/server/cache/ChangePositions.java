package com.atelier.reviews.server.cache;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where in the primary's WAL this node's change feed saw each product change, so that a cache miss is read only
 * from a standby that has replayed at least that far (an older standby would put the rows the invalidation dropped
 * back into the cache). Positions are bytes from WAL position 0/0, read with {@code pg_current_wal_insert_lsn()} in
 * the statement that also returned the change: that is after the change's commit record.
 *
 * <p>Products share {@link #STRIPES} slots, each holding the highest position recorded for any of its products:
 * a product may be asked for a little more than it needs, never less. The feed also reports the primary's position
 * at every poll; a short history of them tells how far behind, in time, a standby's replay position is.
 */
public final class ChangePositions {

    static final int STRIPES = 4096;
    /** Enough samples for {@link #lagNanos} to tell lags of more than 20 s (one per 5 ms at most). */
    private static final int SAMPLES = 4096;
    private static final long SAMPLE_SPACING_NANOS = 5_000_000;

    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);
    private volatile long floor;
    private final long[] sampleNanos = new long[SAMPLES];
    private final long[] samplePositions = new long[SAMPLES];
    private int samples; // total ever taken; the ring holds the last SAMPLES
    private volatile long latest;

    /** Called by the feed before it drops the product's entries. */
    void changed(int productId, long position) {
        stripes.accumulateAndGet(stripe(productId), position, Math::max);
    }

    /** Called by the feed before it drops every entry (a bulk load, or the feed (re)starting). */
    void changedAll(long position) {
        floor = Math.max(floor, position);
    }

    /** The position a server must have replayed to serve this product's rows no older than this node's caches. */
    public long required(int productId) {
        return Math.max(floor, stripes.get(stripe(productId)));
    }

    /** The primary's insert position, as last seen by the feed. */
    public long latest() {
        return latest;
    }

    /** Called by the feed with the primary's insert position, read at {@code nanos}. */
    synchronized void primaryAt(long nanos, long position) {
        latest = position;
        int last = (samples - 1) % SAMPLES;
        if (samples > 0 && (samplePositions[last] == position || nanos - sampleNanos[last] < SAMPLE_SPACING_NANOS)) {
            return;
        }
        int next = samples % SAMPLES;
        sampleNanos[next] = nanos;
        samplePositions[next] = position;
        samples++;
    }

    /**
     * How long ago the primary first wrote past {@code replayed}, i.e. how old the newest data a server at that
     * replay position lacks is: 0 when it has everything the feed saw; at least the history's span when the whole
     * history is past it.
     */
    public synchronized long lagNanos(long replayed, long nowNanos) {
        if (samples == 0 || replayed >= latest) {
            return 0;
        }
        int count = Math.min(samples, SAMPLES);
        int oldest = samples - count;
        // Positions only grow: find the first sample past `replayed`.
        int lo = oldest;
        int hi = samples - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (samplePositions[mid % SAMPLES] > replayed) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (samplePositions[lo % SAMPLES] <= replayed) {
            return 0; // past the last sample: only the newest, unsampled position is ahead
        }
        return Math.max(0, nowNanos - sampleNanos[lo % SAMPLES]);
    }

    private static int stripe(int productId) {
        return Math.floorMod(productId * 0x9E3779B9, STRIPES);
    }
}
