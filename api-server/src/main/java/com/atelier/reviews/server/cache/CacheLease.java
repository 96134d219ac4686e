package com.atelier.reviews.server.cache;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Read-your-writes across nodes without acknowledgements, as a lease on the change feed ({@link ChangeFeed}).
 *
 * <p>A node serves from its caches only while the last poll it has applied <em>started</em> at most {@code lease}
 * ago ({@link #trusted()}); a writer answers only {@code lease} after its commit returned
 * ({@link #awaitWriteVisible(long)}). A read that arrives after the write's answer is therefore served either by a
 * node whose applied poll began after the commit (its snapshot includes the change), or from the database. A node
 * whose feed stalls (GC pause, lost connection, overloaded database) stops trusting its caches by itself, within the
 * lease: that is how a node that is not keeping up is taken out of caching, with nobody having to notice it.
 *
 * <p>Both sides measure the lease as a duration on their own monotonic clock, so clocks need not agree, only run at
 * the same rate (drift is parts per million, microseconds over a lease of milliseconds).
 */
public final class CacheLease {

    private final long leaseNanos;
    private final AtomicInteger waiters = new AtomicInteger();
    private final Object renewal = new Object();
    private volatile long lastPollStart;
    private volatile boolean held;

    public CacheLease(Duration lease) {
        this.leaseNanos = lease.toNanos();
    }

    public Duration lease() {
        return Duration.ofNanos(leaseNanos);
    }

    /** True while this node's caches are known to hold every change committed before the lease began. */
    public boolean trusted() {
        return held && System.nanoTime() - lastPollStart <= leaseNanos;
    }

    /** {@link #trusted()}, waiting at most {@code maxWaitNanos} for the feed to apply its next poll. */
    boolean awaitTrusted(long maxWaitNanos) throws InterruptedException {
        if (trusted()) {
            return true;
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        waiters.incrementAndGet();
        try {
            synchronized (renewal) {
                while (!trusted()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(renewal, left);
                }
                return true;
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Called by the feed once it has applied every change a poll started at {@code pollStartNanos} returned. */
    void renew(long pollStartNanos) {
        lastPollStart = pollStartNanos;
        held = true;
        if (waiters.get() > 0) {
            synchronized (renewal) {
                renewal.notifyAll();
            }
        }
    }

    /** The feed lost its continuity: nothing cached may be trusted until it has re-synchronized. */
    void revoke() {
        held = false;
    }

    /**
     * Called by a writer right after its commit returned ({@code committedAtNanos}, a {@link System#nanoTime()}):
     * returns once every node either applied the change or stopped trusting its caches. Holds no connection or lock.
     */
    public void awaitWriteVisible(long committedAtNanos) {
        long deadline = committedAtNanos + leaseNanos;
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
