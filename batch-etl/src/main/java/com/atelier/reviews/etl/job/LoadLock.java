package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ConnectionSettings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One load at a time per database: a session advisory lock, held by its own connection while the process loads.
 * PostgreSQL releases it when the process dies (even on kill -9), so holding it also proves that a job execution
 * still marked as running in the JobRepository belongs to a dead process.
 */
public final class LoadLock implements AutoCloseable {

    private static final String KEY = "hashtext('atelier-reviews-etl')";

    private final Connection connection;

    private LoadLock(Connection connection) {
        this.connection = connection;
    }

    /** The lock, or null when another process holds it. */
    public static LoadLock tryAcquire(ConnectionSettings db) throws SQLException {
        Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return new LoadLock(c);
            }
        }
        c.close();
        return null;
    }

    @Override
    public void close() throws SQLException {
        connection.close(); // ends the session, which releases the lock
    }
}
