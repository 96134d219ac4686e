package com.atelier.reviews.server.cache;

import com.atelier.reviews.db.ConnectionSettings;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the caches of this node exact across nodes, with PostgreSQL LISTEN/NOTIFY only (no extra server).
 *
 * <ul>
 * <li>Channel {@code reviews_changed}: every write (on any node, and the ETL) notifies the changed product id, or
 * {@code *} for everything, in its transaction, so the notification is delivered on commit. Each node invalidates.
 * While the listening connection is down the caches are off, since a notification could be missed.</li>
 * <li>Read-your-writes across nodes: after its commit, a writing node sends a barrier on {@code reviews_sync}
 * ({@code "<node> <seq>"}) and waits, at most {@code cache.peerAckTimeout}, until every peer listener that was
 * connected to the database at that moment answers on {@code reviews_sync_ack} ({@code "<node> <seq> <peer>"}).
 * PostgreSQL delivers notifications to each listener in commit order, so a peer acks the barrier only after it has
 * applied the write's {@code reviews_changed} notification. Peers are the sessions named
 * {@code reviews-listener <node>} in {@code pg_stat_activity} of the same database.</li>
 * </ul>
 */
public final class ChangeListener implements Managed, Runnable {

    public static final String CHANNEL = "reviews_changed";
    public static final String SYNC_CHANNEL = "reviews_sync";
    public static final String ACK_CHANNEL = "reviews_sync_ack";
    public static final String APPLICATION_NAME_PREFIX = "reviews-listener ";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);

    private final ConnectionSettings database;
    private final ReviewCaches caches;
    private final Jdbi jdbi;
    private final Duration peerAckTimeout;
    private final String nodeId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong barriers = new AtomicLong();
    private final Map<Long, Barrier> pending = new ConcurrentHashMap<>();
    private final Timer peerWaits;
    private final Meter peerTimeouts;
    private final Meter peerSkipped;
    private final Meter notificationsApplied;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    public ChangeListener(ConnectionSettings database, ReviewCaches caches, Jdbi jdbi, Duration peerAckTimeout,
                          MetricRegistry metrics) {
        this.database = database;
        this.caches = caches;
        this.jdbi = jdbi;
        this.peerAckTimeout = peerAckTimeout;
        this.peerWaits = metrics.timer("cache.peers.ack-wait");
        this.peerTimeouts = metrics.meter("cache.peers.ack-timeouts");
        this.peerSkipped = metrics.meter("cache.peers.ack-skipped");
        this.notificationsApplied = metrics.meter("cache.notifications");
        caches.syncWith(this);
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this, "reviews-change-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }

    public boolean isListening() {
        return listening;
    }

    /**
     * Called by a writer after its transaction committed (and this node's entries were invalidated): returns once
     * every peer node has applied the change, or after {@code peerAckTimeout}. Returns at once when this node is not
     * listening (it could not hear the acks; its peers still get the change notification).
     */
    void awaitPeers() {
        if (!listening || peerAckTimeout.isZero()) {
            peerSkipped.mark();
            return;
        }
        long seq = barriers.incrementAndGet();
        Barrier barrier = new Barrier();
        pending.put(seq, barrier);
        try (Timer.Context ignored = peerWaits.time()) {
            long deadline = System.nanoTime() + peerAckTimeout.toNanos();
            // One autocommit statement: who is listening now, and the barrier (delivered when it commits).
            String[] peers = jdbi.withHandle(h -> h.createQuery("""
                            SELECT array(SELECT substr(application_name, length(:prefix) + 1) FROM pg_stat_activity
                                          WHERE datname = current_database() AND application_name LIKE :prefix || '%'
                                            AND application_name <> :self)
                              FROM pg_notify(:channel, :token)
                            """)
                    .bind("prefix", APPLICATION_NAME_PREFIX)
                    .bind("self", APPLICATION_NAME_PREFIX + nodeId)
                    .bind("channel", SYNC_CHANNEL)
                    .bind("token", nodeId + " " + seq)
                    .mapTo(String[].class)
                    .one());
            if (!barrier.await(Set.of(peers), deadline)) {
                peerTimeouts.mark();
                LOG.warn("peers {} did not all acknowledge change barrier {} within {} ms (acked: {})",
                        List.of(peers), seq, peerAckTimeout.toMillis(), barrier.acked);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            peerTimeouts.mark();
            LOG.warn("could not wait for peers to apply a change: {}", e.getMessage());
        } finally {
            pending.remove(seq);
        }
    }

    @Override
    public void run() {
        long backoffMillis = 100;
        while (running) {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 PreparedStatement ack = connection.prepareStatement(
                         "SELECT pg_notify('" + ACK_CHANNEL + "', t) FROM unnest(?::text[]) t")) {
                statement.execute("LISTEN " + CHANNEL + "; LISTEN " + SYNC_CHANNEL + "; LISTEN " + ACK_CHANNEL);
                listening = true;
                caches.setActive(true);
                backoffMillis = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1_000);
                    if (notifications == null || notifications.length == 0) {
                        statement.execute("SELECT 1"); // notices a dead server within a second or so
                        continue;
                    }
                    List<String> acks = new ArrayList<>();
                    for (PGNotification n : notifications) {
                        handle(n.getName(), n.getParameter(), acks);
                    }
                    if (!acks.isEmpty()) {
                        ack.setArray(1, connection.createArrayOf("text", acks.toArray()));
                        ack.execute();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("change listener lost its connection, caches off until it is back: {}", e.getMessage());
                }
            } finally {
                listening = false;
                caches.setActive(false);
            }
            sleep(backoffMillis);
            backoffMillis = Math.min(backoffMillis * 2, 5_000);
        }
    }

    /** Applies one notification; barriers of other nodes are answered (in {@code acks}) once all before are applied. */
    private void handle(String channel, String payload, List<String> acks) {
        switch (channel) {
            case CHANNEL -> apply(payload);
            case SYNC_CHANNEL -> {
                if (!payload.startsWith(nodeId + " ")) {
                    acks.add(payload + " " + nodeId);
                }
            }
            case ACK_CHANNEL -> {
                String[] parts = payload.split(" ");
                if (parts.length == 3 && parts[0].equals(nodeId)) {
                    try {
                        Barrier barrier = pending.get(Long.parseLong(parts[1]));
                        if (barrier != null) {
                            barrier.ack(parts[2]);
                        }
                    } catch (NumberFormatException e) {
                        LOG.warn("ignoring malformed {} payload '{}'", ACK_CHANNEL, payload);
                    }
                }
            }
            default -> LOG.warn("ignoring a notification on unexpected channel {}", channel);
        }
    }

    private void apply(String payload) {
        notificationsApplied.mark();
        if ("*".equals(payload)) {
            caches.invalidateAllLocally();
            return;
        }
        try {
            caches.invalidateLocally(Integer.parseInt(payload.trim()));
        } catch (NumberFormatException e) {
            LOG.warn("ignoring malformed {} payload '{}', clearing the caches", CHANNEL, payload);
            caches.invalidateAllLocally();
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", database.user());
        props.setProperty("password", database.password() == null ? "" : database.password());
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", APPLICATION_NAME_PREFIX + nodeId);
        return DriverManager.getConnection(database.jdbcUrl(), props);
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Non-critical: without notifications the node still answers correctly, only slower. */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                if (!caches.isEnabled()) {
                    return Result.healthy("caching disabled in config; listening: " + listening);
                }
                return listening ? Result.healthy("node " + nodeId + " listening on " + CHANNEL)
                        : Result.unhealthy("not listening on " + CHANNEL + "; caches off");
            }
        };
    }

    /** The acks one change barrier has received. */
    private static final class Barrier {
        private final Set<String> acked = ConcurrentHashMap.newKeySet();

        synchronized void ack(String peer) {
            acked.add(peer);
            notifyAll();
        }

        synchronized boolean await(Set<String> peers, long deadlineNanos) throws InterruptedException {
            while (!acked.containsAll(peers)) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
