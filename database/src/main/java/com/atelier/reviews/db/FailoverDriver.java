package com.atelier.reviews.db;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * pgjdbc, asked host by host. A multi-host URL ({@code jdbc:postgresql://h1,h2/db?targetServerType=primary}) is
 * tried one host at a time, the host that last answered first, so a connection always reaches whichever host is the
 * primary now. pgjdbc's own multi-host chooser shares, JVM-wide, the last type it saw per host and skips the hosts
 * it last saw as standbys: after a promotion here, connections kept failing on the dead primary for seconds while the
 * promoted host went untried (ReplicationTest). A one-host URL goes to pgjdbc unchanged.
 *
 * <p>Named as {@code database.driverClass} (the pool instantiates it) and used by the change feed; deliberately not
 * registered with {@link java.sql.DriverManager}, where pgjdbc answers {@code jdbc:postgresql:} URLs.
 */
public final class FailoverDriver implements Driver {

    private final Driver pgjdbc = new org.postgresql.Driver();
    private volatile String lastHost;

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        List<ConnectionSettings> hosts = new ConnectionSettings(url, null, null).eachHost();
        if (hosts.size() == 1) {
            return pgjdbc.connect(url, info);
        }
        List<String> order = new ArrayList<>();
        String last = lastHost;
        for (ConnectionSettings host : hosts) {
            if (host.jdbcUrl().equals(last)) {
                order.add(0, host.jdbcUrl());
            } else {
                order.add(host.jdbcUrl());
            }
        }
        SQLException failures = null;
        for (String hostUrl : order) {
            try {
                Connection connection = pgjdbc.connect(hostUrl, info);
                lastHost = hostUrl;
                return connection;
            } catch (SQLException e) {
                if (failures == null) {
                    failures = new SQLException("no host of " + url + " accepted the connection: " + e.getMessage(),
                            e.getSQLState(), e);
                } else {
                    failures.addSuppressed(e);
                }
            }
        }
        throw failures;
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith("jdbc:postgresql://");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return pgjdbc.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return pgjdbc.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return pgjdbc.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return pgjdbc.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pgjdbc.getParentLogger();
    }
}
