package com.atelier.reviews.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, uniquely named database for one test suite, dropped on close. It lives on the server at DATABASE_URL
 * when that is set, else on the JVM's shared embedded PostgreSQL.
 */
public final class ScratchDatabase implements AutoCloseable {

    private final ConnectionSettings admin;
    private final ConnectionSettings settings;

    private ScratchDatabase(ConnectionSettings admin, String name) {
        this.admin = admin;
        this.settings = admin.withDatabase(name);
    }

    /** Creates an empty database named after the suite, with the schema applied. */
    public static ScratchDatabase create(String suite) {
        ConnectionSettings fromEnv = ConnectionSettings.fromEnvironment();
        return create(suite, fromEnv != null ? fromEnv : EmbeddedDatabase.shared().adminSettings());
    }

    /** The same on a given server (a test that stops and starts its own PostgreSQL), through its admin settings. */
    public static ScratchDatabase create(String suite, ConnectionSettings admin) {
        String name = ("t_" + suite.replaceAll("[^A-Za-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase();
        ScratchDatabase db = new ScratchDatabase(admin, name);
        db.execute(admin, "CREATE DATABASE " + name);
        Migrations.migrate(db.settings);
        return db;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
    }

    @Override
    public void close() {
        execute(admin, "DROP DATABASE IF EXISTS " + settings.databaseName() + " WITH (FORCE)");
    }

    private void execute(ConnectionSettings on, String sql) {
        try (Connection c = DriverManager.getConnection(on.jdbcUrl(), on.user(), on.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + on, e);
        }
    }
}
