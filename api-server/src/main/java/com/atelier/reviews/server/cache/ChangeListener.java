package com.atelier.reviews.server.cache;

import com.atelier.reviews.db.ConnectionSettings;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Keeps the caches of this node exact across nodes: LISTENs on channel {@code reviews_changed}, where every write
 * (on any node, and the ETL) notifies the changed product id, or {@code *} for everything, on commit. While the
 * listening connection is down the caches are off, since a notification could be missed.
 */
public final class ChangeListener implements Managed, Runnable {

    public static final String CHANNEL = "reviews_changed";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);

    private final ConnectionSettings database;
    private final ReviewCaches caches;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    public ChangeListener(ConnectionSettings database, ReviewCaches caches) {
        this.database = database;
        this.caches = caches;
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

    @Override
    public void run() {
        long backoffMillis = 100;
        while (running) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                listening = true;
                caches.setActive(true);
                backoffMillis = 100;
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1_000);
                    if (notifications == null) {
                        statement.execute("SELECT 1"); // notices a dead server within a second or so
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        apply(n.getParameter());
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

    private void apply(String payload) {
        if ("*".equals(payload)) {
            caches.invalidateAll();
            return;
        }
        try {
            caches.invalidate(Integer.parseInt(payload));
        } catch (NumberFormatException e) {
            LOG.warn("ignoring malformed {} payload '{}', clearing the caches", CHANNEL, payload);
            caches.invalidateAll();
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", database.user());
        props.setProperty("password", database.password() == null ? "" : database.password());
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "10");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "reviews-change-listener");
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
                    return Result.healthy("caching disabled in config");
                }
                return listening ? Result.healthy("listening on " + CHANNEL)
                        : Result.unhealthy("not listening on " + CHANNEL + "; caches off");
            }
        };
    }
}
