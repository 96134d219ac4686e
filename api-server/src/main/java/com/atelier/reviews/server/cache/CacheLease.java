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
 *
 * <p>A writer whose node has no peer skips the wait. A node's feed trusts nothing during its first
 * {@link #PROBATION_NANOS} of following (after every (re)connection), and every feed looks for the others' feed
 * connections every few milliseconds; so a node that could serve an old entry now has been connected for at least the
 * probation, and a feed that has seen no peer over a whole probation, up to a moment before the commit, knows that
 * none can.
 */
public final class CacheLease {

    /** How long a (re)connected feed follows the log before its node trusts its caches. */
    static final long PROBATION_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Peer checks further apart than this do not count as one watch. */
    static final long MAX_PEER_CHECK_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long leaseNanos;
    private final AtomicInteger waiters = new AtomicInteger();
    private final Object renewal = new Object();
    private volatile long lastPollStart;
    private volatile boolean held;
    private volatile PeerWatch peers = PeerWatch.NONE;

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
        if (!held) { // no poll is about to renew it (starting, probation, or reconnecting): do not wait for one
            return false;
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

    /**
     * Called by the feed once it has applied every change a poll started at {@code pollStartNanos} returned; the
     * lease holds only once the feed has been following since {@code followingSinceNanos} for the probation.
     */
    void renew(long pollStartNanos, long followingSinceNanos) {
        if (pollStartNanos - followingSinceNanos >= PROBATION_NANOS) {
            renew(pollStartNanos);
        }
    }

    /** Renews from a poll, probation or not (tests). */
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

    /** Called by the feed each time it looked for other nodes' feeds at {@code checkedAtNanos}. */
    void peersChecked(long checkedAtNanos, boolean othersFollowing) {
        PeerWatch last = peers;
        if (othersFollowing) {
            peers = new PeerWatch(false, 0, checkedAtNanos);
        } else if (!last.noneSeen() || checkedAtNanos - last.lastCheck() > MAX_PEER_CHECK_GAP_NANOS) {
            peers = new PeerWatch(true, checkedAtNanos, checkedAtNanos);
        } else {
            peers = new PeerWatch(true, last.noneSince(), checkedAtNanos);
        }
    }

    /** True when no other node can hold an entry cached before {@code committedAtNanos}. */
    boolean alone(long committedAtNanos) {
        PeerWatch p = peers;
        return p.noneSeen() && committedAtNanos - p.noneSince() >= PROBATION_NANOS
                && committedAtNanos - p.lastCheck() <= PROBATION_NANOS / 2;
    }

    /**
     * Called by a writer right after its commit returned ({@code committedAtNanos}, a {@link System#nanoTime()}):
     * returns once every node either applied the change or stopped trusting its caches. Holds no connection or lock.
     */
    public void awaitWriteVisible(long committedAtNanos) {
        if (alone(committedAtNanos)) {
            return;
        }
        long deadline = committedAtNanos + leaseNanos;
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** What the feed's checks for other nodes' feeds saw: none from {@code noneSince} until {@code lastCheck}. */
    private record PeerWatch(boolean noneSeen, long noneSince, long lastCheck) {
        static final PeerWatch NONE = new PeerWatch(false, 0, 0);
    }
}
