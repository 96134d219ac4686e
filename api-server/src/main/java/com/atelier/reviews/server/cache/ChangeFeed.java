package com.atelier.reviews.server.cache;

import com.atelier.reviews.db.CacheChanges;
import com.atelier.reviews.db.ConnectionSettings;
import com.atelier.reviews.db.FailoverDriver;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps this node's caches exact: polls {@code cache_changes} (one row per committed write, written in the write's
 * own transaction; NULL product = everything, {@link CacheChanges#KEYS_CHANGED} = the API keys) on its own
 * connection every {@code pollInterval} and invalidates.
 *
 * <p>Each poll returns exactly the rows that committed since the previous poll, in any commit order: rows carry the
 * id of the transaction that wrote them, and a row is new when that transaction had not committed in the previous
 * poll's snapshot (it was in the snapshot's in-progress list, or started after it). The snapshot is read in the same
 * statement as the rows, so it is the snapshot the rows were read with. After a poll is applied, the
 * {@link CacheLease} is renewed from the moment the poll started. When the connection drops or polls stop, the lease
 * runs out and the node reads from the database; on reconnecting the feed clears the caches and starts over.
 *
 * <p>Every 20 ms the feed also looks for other nodes' feeds (their connections' application name), which lets a node
 * without peers answer writes at once (see {@link CacheLease}).
 *
 * <p>Rows older than {@code retention} are pruned by every node (harmless when several do): a row is deleted only
 * once it was visible to a snapshot taken {@code retention} ago, and a node that has not polled for half the
 * retention starts over instead of continuing.
 */
public final class ChangeFeed implements Managed, Runnable {

    /**
     * Told when an entry of {@link CacheChanges#KEYS_CHANGED} arrives, and when the feed (re)starts following (it may
     * have missed one). Called on the feed's thread: it must return at once (hand the work to another thread).
     */
    public interface KeysListener {
        void keysChanged();
    }

    static final String APPLICATION_NAME_PREFIX = "reviews-change-feed ";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    /**
     * The primary's WAL insert position in bytes, evaluated after the statement took its snapshot: past the commit
     * record of every change that snapshot shows (see {@link ChangePositions}).
     */
    private static final String INSERT_POSITION = "(pg_current_wal_insert_lsn() - '0/0')::bigint";
    /**
     * The rows committed since snapshot {@code (xmin, xmax, xip)}: those of transactions at or after its xmax, and
     * those of its in-progress list; with the snapshot the rows are read with. Planned once (the session forces
     * generic plans and index scans, the only plans this statement wants).
     */
    private static final String POLL = """
            SELECT pg_current_snapshot()::text,
                   array(SELECT coalesce(product_id, 0) FROM cache_changes WHERE xid >= ?),
                   array(SELECT coalesce(product_id, 0) FROM cache_changes WHERE xid = ANY (?)),
            """ + INSERT_POSITION;
    private static final String START = "SELECT pg_current_snapshot()::text, " + INSERT_POSITION;
    private static final String PRUNE = "DELETE FROM cache_changes WHERE xid < ?";
    private static final String OTHER_FEEDS = """
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
               AND application_name LIKE '""" + APPLICATION_NAME_PREFIX + "%'";
    private static final long PEER_CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final ConnectionSettings database;
    private final FailoverDriver driver = new FailoverDriver();
    private final ReviewCaches caches;
    private final CacheLease lease;
    private final ChangePositions positions;
    private final long pollIntervalNanos;
    private final Duration retention;
    private final String nodeId = UUID.randomUUID().toString().substring(0, 8);
    private final Timer polls;
    private final Meter changes;
    private final Meter restarts;
    private volatile KeysListener keysListener = () -> { };
    private volatile boolean running;
    private volatile long lastAppliedNanos;
    private volatile long followingSince;
    private volatile String lastError = "not started";
    private Thread thread;

    public ChangeFeed(ConnectionSettings database, ReviewCaches caches, CacheLease lease, ChangePositions positions,
                      Duration pollInterval, Duration retention, MetricRegistry metrics) {
        this.database = database;
        this.caches = caches;
        this.lease = lease;
        this.positions = positions;
        this.pollIntervalNanos = pollInterval.toNanos();
        this.retention = retention;
        this.polls = metrics.timer("cache.feed.polls");
        this.changes = metrics.meter("cache.feed.changes");
        this.restarts = metrics.meter("cache.feed.restarts");
    }

    /** The one listener for key changes (set before {@link #start()}). */
    public void onKeysChanged(KeysListener listener) {
        this.keysListener = listener;
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
                 PreparedStatement prune = connection.prepareStatement(PRUNE);
                 PreparedStatement otherFeeds = connection.prepareStatement(OTHER_FEEDS)) {
                follow(connection, start, poll, prune, otherFeeds);
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
    private void follow(Connection connection, PreparedStatement start, PreparedStatement poll, PreparedStatement prune,
                        PreparedStatement otherFeeds) throws SQLException {
        long begun = System.nanoTime();
        Snapshot snapshot;
        try (ResultSet rs = start.executeQuery()) {
            rs.next();
            snapshot = Snapshot.parse(rs.getString(1));
            positions.primaryAt(System.nanoTime(), rs.getLong(2));
            positions.changedAll(rs.getLong(2));
        }
        // Everything committed before `begun` is in that snapshot; what was cached before may be older.
        caches.invalidateAllLocally();
        keysListener.keysChanged();
        restarts.mark();
        followingSince = begun;
        lastAppliedNanos = begun;
        lastError = null;
        long lastPeerCheck = begun - PEER_CHECK_INTERVAL_NANOS;
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
                poll.setLong(1, snapshot.xmax());
                poll.setArray(2, connection.createArrayOf("bigint", snapshot.inProgress()));
                try (ResultSet rs = poll.executeQuery()) {
                    rs.next();
                    Snapshot next = Snapshot.parse(rs.getString(1));
                    long position = rs.getLong(4);
                    positions.primaryAt(pollStart, position);
                    apply(rs.getArray(2), position);
                    apply(rs.getArray(3), position);
                    snapshot = next;
                }
            }
            lastAppliedNanos = pollStart;
            lease.renew(pollStart, followingSince);
            if (pollStart - lastPeerCheck >= PEER_CHECK_INTERVAL_NANOS) {
                lastPeerCheck = pollStart;
                try (ResultSet rs = otherFeeds.executeQuery()) {
                    rs.next();
                    lease.peersChecked(pollStart, rs.getLong(1) > 0);
                }
            }
            if (pollStart - checkpoints.peekLast().nanos() > retention.toNanos() / 10) {
                checkpoints.add(new Checkpoint(pollStart, snapshot));
            }
            if (pollStart - checkpoints.peekFirst().nanos() > retention.toNanos()) {
                // Every row below that snapshot's xmin was visible to it, hence applied by every node still following.
                prune.setLong(1, checkpoints.removeFirst().snapshot().xmin());
                prune.executeUpdate();
            }
        }
    }

    private void apply(Array changed, long position) throws SQLException {
        apply((Integer[]) changed.getArray(), position);
        changed.free();
    }

    /** Positions first: a reload that starts after the drop must read from a server that has the change. */
    private void apply(Integer[] products, long position) {
        for (Integer product : products) {
            changes.mark();
            if (product == 0) {
                positions.changedAll(position);
                caches.invalidateAllLocally();
            } else if (product == CacheChanges.KEYS_CHANGED) {
                keysListener.keysChanged();
            } else {
                positions.changed(product, position);
                caches.invalidateLocally(product);
            }
        }
    }

    /** True while the feed follows the log on the primary; false while it cannot reach it. */
    public boolean following() {
        return running && lastError == null;
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", database.user());
        props.setProperty("password", database.password() == null ? "" : database.password());
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "5");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", APPLICATION_NAME_PREFIX + nodeId);
        // With several hosts in the URL (a primary and its standbys), only the primary has every commit at once.
        props.setProperty("targetServerType", "primary");
        // This session only ever wants the xid index: plan the poll once, never as a scan of the whole log.
        props.setProperty("options", "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off"
                + " -c enable_bitmapscan=off -c statement_timeout=2s");
        props.setProperty("prepareThreshold", "1");
        return driver.connect(database.jdbcUrl(), props);
    }

    /** Non-critical: with its feed down a node still answers correctly, from the database. */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                long sinceMillis = (System.nanoTime() - lastAppliedNanos) / 1_000_000;
                if (lastError == null && sinceMillis < 1_000) {
                    String state = !caches.isEnabled() ? "disabled in config"
                            : lease.trusted() ? "trusted" : "not trusted yet (probation after connecting, or a late poll)";
                    return Result.healthy("node " + nodeId + " following cache_changes (last poll " + sinceMillis
                            + " ms ago); caches " + state);
                }
                String why = lastError != null ? lastError : "no poll for " + sinceMillis + " ms";
                return Result.unhealthy("change feed not following cache_changes (" + why + "); caches off");
            }
        };
    }

    /** A snapshot the feed had applied at a moment, kept to know which rows every live node has seen. */
    private record Checkpoint(long nanos, Snapshot snapshot) {
    }

    /** A {@code pg_snapshot} ({@code xmin:xmax:xip,...}): transactions below xmin and not in xip had ended. */
    record Snapshot(long xmin, long xmax, Long[] inProgress) {

        static Snapshot parse(String text) {
            String[] parts = text.split(":", -1);
            Long[] xip = parts[2].isEmpty() ? new Long[0]
                    : Arrays.stream(parts[2].split(",")).map(Long::valueOf).toArray(Long[]::new);
            return new Snapshot(Long.parseLong(parts[0]), Long.parseLong(parts[1]), xip);
        }
    }
}
