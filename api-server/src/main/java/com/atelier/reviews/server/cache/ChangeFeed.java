package com.atelier.reviews.server.cache;

import com.atelier.reviews.db.ConnectionSettings;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps this node's caches exact: polls {@code cache_changes} (one row per committed write, written in the write's
 * own transaction; NULL product = everything) on its own connection every {@code pollInterval} and invalidates.
 *
 * <p>Each poll returns exactly the rows that committed since the previous poll, in any commit order: rows carry the
 * id of the transaction that wrote them, and a row is new when that transaction had not committed in the previous
 * poll's snapshot (it was in the snapshot's in-progress list, or started after it). The snapshot is read in the same
 * statement as the rows, so it is the snapshot the rows were read with. After a poll is applied, the
 * {@link CacheLease} is renewed from the moment the poll started. When the connection drops or polls stop, the lease
 * runs out and the node reads from the database; on reconnecting the feed clears the caches and starts over.
 *
 * <p>Rows older than {@code retention} are pruned by every node (harmless when several do): a row is deleted only
 * once it was visible to a snapshot taken {@code retention} ago, and a node that has not polled for half the
 * retention starts over instead of continuing.
 */
public final class ChangeFeed implements Managed, Runnable {

    static final String APPLICATION_NAME_PREFIX = "reviews-change-feed ";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    private static final String POLL = """
            SELECT s::text, array(SELECT coalesce(c.product_id, 0) FROM cache_changes c
                                   WHERE c.xid >= pg_snapshot_xmax(CAST(? AS pg_snapshot))::text::bigint
                                  UNION
                                  SELECT coalesce(c.product_id, 0) FROM cache_changes c
                                   WHERE c.xid = ANY (ARRAY(SELECT pg_snapshot_xip(CAST(? AS pg_snapshot))::text::bigint)))
              FROM pg_current_snapshot() s
            """;
    private static final String START = "SELECT pg_current_snapshot()::text";
    private static final String PRUNE = """
            DELETE FROM cache_changes WHERE xid < pg_snapshot_xmin(CAST(? AS pg_snapshot))::text::bigint
            """;

    private final ConnectionSettings database;
    private final ReviewCaches caches;
    private final CacheLease lease;
    private final long pollIntervalNanos;
    private final Duration retention;
    private final String nodeId = UUID.randomUUID().toString().substring(0, 8);
    private final Timer polls;
    private final Meter changes;
    private final Meter restarts;
    private volatile boolean running;
    private volatile long lastAppliedNanos;
    private volatile String lastError = "not started";
    private Thread thread;

    public ChangeFeed(ConnectionSettings database, ReviewCaches caches, CacheLease lease, Duration pollInterval,
                      Duration retention, MetricRegistry metrics) {
        this.database = database;
        this.caches = caches;
        this.lease = lease;
        this.pollIntervalNanos = pollInterval.toNanos();
        this.retention = retention;
        this.polls = metrics.timer("cache.feed.polls");
        this.changes = metrics.meter("cache.feed.changes");
        this.restarts = metrics.meter("cache.feed.restarts");
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this, "reviews-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }

    @Override
    public void run() {
        long backoffMillis = 50;
        while (running) {
            try (Connection connection = connect();
                 PreparedStatement start = connection.prepareStatement(START);
                 PreparedStatement poll = connection.prepareStatement(POLL);
                 PreparedStatement prune = connection.prepareStatement(PRUNE)) {
                follow(start, poll, prune);
                backoffMillis = 50;
            } catch (SQLException e) {
                lastError = e.getMessage();
                if (running) {
                    LOG.warn("change feed lost its connection, caches off until it is back: {}", e.getMessage());
                }
            } finally {
                lease.revoke();
            }
            if (running) {
                LockSupport.parkNanos(backoffMillis * 1_000_000L);
                backoffMillis = Math.min(backoffMillis * 2, 2_000);
            }
        }
    }

    /** Polls until stopped, the connection fails, or the feed fell so far behind that pruned rows may be missing. */
    private void follow(PreparedStatement start, PreparedStatement poll, PreparedStatement prune) throws SQLException {
        long begun = System.nanoTime();
        String snapshot;
        try (ResultSet rs = start.executeQuery()) {
            rs.next();
            snapshot = rs.getString(1);
        }
        // Everything committed before `begun` is in that snapshot; what was cached before may be older.
        caches.invalidateAllLocally();
        restarts.mark();
        applied(begun);
        lastError = null;
        Deque<Checkpoint> checkpoints = new ArrayDeque<>();
        checkpoints.add(new Checkpoint(begun, snapshot));
        long maxGapNanos = retention.toNanos() / 2;
        while (running) {
            LockSupport.parkNanos(pollIntervalNanos);
            long pollStart = System.nanoTime();
            if (pollStart - lastAppliedNanos > maxGapNanos) {
                LOG.warn("change feed did not poll for {} ms: starting over", (pollStart - lastAppliedNanos) / 1_000_000);
                return;
            }
            try (Timer.Context ignored = polls.time()) {
                poll.setString(1, snapshot);
                poll.setString(2, snapshot);
                try (ResultSet rs = poll.executeQuery()) {
                    rs.next();
                    String next = rs.getString(1);
                    Array changed = rs.getArray(2);
                    apply((Integer[]) changed.getArray());
                    changed.free();
                    snapshot = next;
                }
            }
            applied(pollStart);
            if (pollStart - checkpoints.peekLast().nanos() > retention.toNanos() / 10) {
                checkpoints.add(new Checkpoint(pollStart, snapshot));
            }
            if (pollStart - checkpoints.peekFirst().nanos() > retention.toNanos()) {
                prune.setString(1, checkpoints.removeFirst().snapshot());
                prune.executeUpdate();
            }
        }
    }

    private void apply(Integer[] products) {
        for (Integer product : products) {
            changes.mark();
            if (product == 0) {
                caches.invalidateAllLocally();
            } else {
                caches.invalidateLocally(product);
            }
        }
    }

    private void applied(long pollStartNanos) {
        lastAppliedNanos = pollStartNanos;
        lease.renew(pollStartNanos);
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", database.user());
        props.setProperty("password", database.password() == null ? "" : database.password());
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "5");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", APPLICATION_NAME_PREFIX + nodeId);
        // The generic plan of the poll would estimate a third of the log for `xid >= ?` and scan it all.
        props.setProperty("options", "-c plan_cache_mode=force_custom_plan -c statement_timeout=2s");
        return DriverManager.getConnection(database.jdbcUrl(), props);
    }

    /** Non-critical: with its feed down a node still answers correctly, from the database. */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                long sinceMillis = (System.nanoTime() - lastAppliedNanos) / 1_000_000;
                if (lastError == null && sinceMillis < 1_000) {
                    return Result.healthy("node " + nodeId + " following cache_changes (last poll " + sinceMillis
                            + " ms ago); caches " + (caches.isEnabled() ? "on" : "disabled in config"));
                }
                return Result.unhealthy("change feed not following cache_changes (" + lastError + "); caches off");
            }
        };
    }

    /** A snapshot the feed had applied at a moment, kept to know which rows every live node has seen. */
    private record Checkpoint(long nanos, String snapshot) {
    }
}
