package com.atelier.reviews.server.replicas;

import com.atelier.reviews.db.ConnectionSettings;
import com.atelier.reviews.server.cache.ChangePositions;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Measures one standby's lag on its own connection every {@code checkInterval}, for the operators: gauges
 * {@code replicas.<host:port>.lagMillis} and {@code .lagBytes} (-1 while unreachable) and a non-critical health
 * check. Routing does not depend on it: each read checks its own connection (see {@link ReplicaReads}).
 */
public final class StandbyMonitor implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(StandbyMonitor.class);
    private static final String POSITION = """
            SELECT pg_is_in_recovery(), (pg_last_wal_replay_lsn() - '0/0')::bigint""";

    private final ConnectionSettings standby;
    private final ChangePositions positions;
    private final long intervalMillis;
    private final long maxLagNanos;
    private final ScheduledExecutorService timer;
    private Connection connection;
    private volatile long lagNanos = -1;
    private volatile long lagBytes = -1;
    private volatile String state = "not checked yet";

    public StandbyMonitor(ConnectionSettings standby, ChangePositions positions, ReplicasConfiguration config,
                          MetricRegistry metrics) {
        this.standby = standby;
        this.positions = positions;
        this.intervalMillis = config.getCheckInterval().toMilliseconds();
        this.maxLagNanos = config.getMaxLag().toNanoseconds();
        String name = standby.hostAndPort();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "standby-monitor " + name);
            t.setDaemon(true);
            return t;
        });
        metrics.register("replicas." + name + ".lagMillis",
                (Gauge<Long>) () -> lagNanos < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(lagNanos));
        metrics.register("replicas." + name + ".lagBytes", (Gauge<Long>) () -> lagBytes);
    }

    public String name() {
        return "standby " + standby.hostAndPort();
    }

    @Override
    public void start() {
        timer.scheduleWithFixedDelay(this::check, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws SQLException {
        timer.shutdownNow();
        if (connection != null) {
            connection.close();
        }
    }

    private void check() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = connect();
            }
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(POSITION)) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    lagNanos = 0;
                    lagBytes = 0;
                    state = "not in recovery: a primary (promoted?)";
                    return;
                }
                long replayed = rs.getLong(2);
                lagNanos = positions.lagNanos(replayed, System.nanoTime());
                lagBytes = Math.max(0, positions.latest() - replayed);
                state = null;
            }
        } catch (SQLException e) {
            lagNanos = -1;
            lagBytes = -1;
            if (state == null || !state.equals(e.getMessage())) {
                LOG.warn("{} unreachable: {}", name(), e.getMessage());
            }
            state = e.getMessage();
            try {
                if (connection != null) {
                    connection.close();
                }
            } catch (SQLException ignored) {
                // it is being replaced
            }
            connection = null;
        }
    }

    private Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", standby.user());
        props.setProperty("password", standby.password() == null ? "" : standby.password());
        props.setProperty("connectTimeout", "3");
        props.setProperty("socketTimeout", "5");
        props.setProperty("ApplicationName", "reviews-standby-monitor");
        return DriverManager.getConnection(standby.jdbcUrl(), props);
    }

    /** Non-critical: a standby that is down or behind serves no reads, the primary does. */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                String why = state;
                long lag = lagNanos;
                if (why != null && lag < 0) {
                    return Result.unhealthy(name() + " unreachable (" + why + "): reads go to the others or the primary");
                }
                if (lag > maxLagNanos) {
                    return Result.unhealthy(name() + " lags " + TimeUnit.NANOSECONDS.toMillis(lag)
                            + " ms behind the primary, more than replicas.maxLag: it serves no reads");
                }
                return Result.healthy(name() + " lag " + TimeUnit.NANOSECONDS.toMillis(lag) + " ms, " + lagBytes
                        + " bytes" + (why == null ? "" : " (" + why + ")"));
            }
        };
    }
}
