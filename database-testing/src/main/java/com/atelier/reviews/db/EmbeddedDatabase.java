package com.atelier.reviews.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL 15 started from the zonky binaries, for machines without one: {@code ./reviews demo} and the tests
 * when DATABASE_URL is unset. As root it runs PostgreSQL in a user namespace (zonky does that by itself).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static EmbeddedDatabase shared;

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a throw-away server on a free port; its data directory is deleted on close. */
    public static EmbeddedDatabase startTemporary() {
        try {
            return new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off") // throw-away data: durability buys nothing here
                    // zonky turns it off; on, a returned commit means what it means in production
                    .setServerConfig("synchronous_commit", "on")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    /** One server per JVM, stopped when the JVM exits: tests share it and each creates its own database. */
    public static synchronized EmbeddedDatabase shared() {
        if (shared == null) {
            shared = startTemporary();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-postgres-stop"));
        }
        return shared;
    }

    /** Starts (or restarts) a server that keeps its data in {@code dataDir} between runs. */
    public static EmbeddedDatabase startPersistent(Path dataDir, int port) {
        requireFreePort(port);
        try {
            Files.createDirectories(dataDir);
            return new EmbeddedDatabase(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "512MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("synchronous_commit", "on")
                    .start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir, e);
        }
    }

    /**
     * Fails when something already listens on the port: the embedded server would then not bind, yet the client
     * would connect to whatever answers there (an earlier demo's PostgreSQL, with other data).
     */
    static void requireFreePort(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // a port whose last connections linger in TIME_WAIT is free for a server
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is already in use (another PostgreSQL, perhaps an"
                    + " earlier demo's?): stop it, or choose another port (DEMO_DB_PORT)", e);
        }
    }

    /** The server's maintenance database, as user postgres. */
    public ConnectionSettings adminSettings() {
        return new ConnectionSettings("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", "");
    }

    /** Creates {@code name} unless it exists, and returns its settings. */
    public ConnectionSettings ensureDatabase(String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "''") + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return adminSettings().withDatabase(name);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code java ... EmbeddedDatabase DATA_DIR PORT DATABASE}: runs a persistent server until killed, after
     * printing {@code DATABASE_URL=...} (the launcher waits for that line).
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: EmbeddedDatabase DATA_DIR PORT DATABASE");
            System.exit(2);
        }
        EmbeddedDatabase db = startPersistent(Path.of(args[0]), Integer.parseInt(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-postgres-stop"));
        ConnectionSettings settings = db.ensureDatabase(args[2]);
        System.out.println("DATABASE_URL=" + settings.jdbcUrl());
        System.out.flush();
        Thread.currentThread().join();
    }
}
