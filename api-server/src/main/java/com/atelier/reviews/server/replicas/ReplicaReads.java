package com.atelier.reviews.server.replicas;

import com.atelier.reviews.server.cache.CacheLease;
import com.atelier.reviews.server.cache.ChangePositions;
import com.atelier.reviews.server.db.ReplayPosition;
import com.atelier.reviews.server.db.ReviewReadDao;
import com.atelier.reviews.server.db.StandbyDao;
import com.atelier.reviews.server.errors.DatabaseUnavailableExceptionMapper;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a cache-miss read goes: to a standby when one is known to serve rows no older than this node's caches,
 * else to the primary.
 *
 * <ul>
 * <li>While the cache lease holds, every change committed before a write could have returned has been seen by the
 *     change feed, at a recorded WAL position ({@link ChangePositions}). A standby connection that has replayed the
 *     product's position serves the read; one that has not may catch up for {@code maxWait}, then the primary
 *     answers. A standby lagging more than {@code maxLag} serves nothing.</li>
 * <li>Without the lease (the feed is starting or late) nothing tells what a standby lacks: the primary answers.</li>
 * <li>With the primary unreachable (the feed cannot reach it), a standby that has replayed all it received serves
 *     the read: a synchronous standby has received every commit the primary acknowledged.</li>
 * </ul>
 *
 * The replay position is read in its own statement before the read's: a statement sees every commit replayed before
 * it started, and reading the position inside the same statement would be later than its snapshot.
 */
public final class ReplicaReads {

    private static final Object NOT_SERVED = new Object();
    private static final long RECHECK_NANOS = 200_000;
    private static final long CAUGHT_UP = -1;

    private final Jdbi primary;
    private final Jdbi standbys;
    private final CacheLease lease;
    private final ChangePositions positions;
    private final BooleanSupplier primaryReachable;
    private final long maxWaitNanos;
    private final long maxLagNanos;
    private final Meter primaryReads;
    private final Meter standbyReads;
    private final Meter standbyBehind;
    private final Meter standbyUnavailable;

    /** Reads from the primary only: no standbys configured. */
    public ReplicaReads(Jdbi primary, MetricRegistry metrics) {
        this(primary, null, null, null, () -> true, new ReplicasConfiguration(), metrics);
    }

    public ReplicaReads(Jdbi primary, Jdbi standbys, CacheLease lease, ChangePositions positions,
                        BooleanSupplier primaryReachable, ReplicasConfiguration config, MetricRegistry metrics) {
        this.primary = primary;
        this.standbys = standbys;
        this.lease = lease;
        this.positions = positions;
        this.primaryReachable = primaryReachable;
        this.maxWaitNanos = config.getMaxWait().toNanoseconds();
        this.maxLagNanos = config.getMaxLag().toNanoseconds();
        this.primaryReads = metrics.meter("reads.primary");
        this.standbyReads = metrics.meter("reads.standby");
        this.standbyBehind = metrics.meter("reads.standby.behind");
        this.standbyUnavailable = metrics.meter("reads.standby.unavailable");
    }

    /** Runs {@code query} for {@code productId} on a server that has every change this node's caches have seen. */
    public <T> T read(int productId, Function<ReviewReadDao, T> query) {
        if (standbys != null) {
            long required = lease.trusted() ? positions.required(productId)
                    : primaryReachable.getAsBoolean() ? Long.MIN_VALUE : CAUGHT_UP;
            if (required != Long.MIN_VALUE) {
                Object served = fromStandby(required, query);
                if (served != NOT_SERVED) {
                    @SuppressWarnings("unchecked") T result = (T) served;
                    return result;
                }
            }
        }
        try {
            T result = primary.withHandle(handle -> query.apply(new ReviewReadDao(handle)));
            primaryReads.mark();
            return result;
        } catch (JdbiException e) {
            // The primary went away before the feed noticed: a caught-up standby still has every acknowledged commit.
            if (standbys == null || !DatabaseUnavailableExceptionMapper.isUnavailable(e)) {
                throw e;
            }
            Object served = fromStandby(CAUGHT_UP, query);
            if (served == NOT_SERVED) {
                throw e;
            }
            @SuppressWarnings("unchecked") T result = (T) served;
            return result;
        }
    }

    private Object fromStandby(long required, Function<ReviewReadDao, ?> query) {
        try (Handle handle = standbys.open()) {
            StandbyDao standby = handle.attach(StandbyDao.class);
            long deadline = System.nanoTime() + maxWaitNanos;
            while (!usable(standby.position(), required)) {
                if (System.nanoTime() - deadline >= 0) {
                    standbyBehind.mark();
                    return NOT_SERVED;
                }
                LockSupport.parkNanos(RECHECK_NANOS);
            }
            Object result = query.apply(new ReviewReadDao(handle));
            standbyReads.mark();
            return result;
        } catch (JdbiException e) {
            // Unreachable, or a read cancelled by replay (a conflict with recovery): the primary may answer.
            if (!DatabaseUnavailableExceptionMapper.isUnavailable(e)) {
                throw e;
            }
            standbyUnavailable.mark();
            return NOT_SERVED;
        }
    }

    private boolean usable(ReplayPosition at, long required) {
        if (required == CAUGHT_UP) {
            return at.caughtUp();
        }
        return at.hasReplayed(required)
                && (!at.inRecovery() || positions.lagNanos(at.replayed(), System.nanoTime()) <= maxLagNanos);
    }
}
