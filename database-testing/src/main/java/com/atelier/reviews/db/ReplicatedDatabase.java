package com.atelier.reviews.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A primary and one synchronous hot standby, both started from the zonky binaries, for the tests of reading from
 * standbys and for {@code REPLICAS=1 ./reviews cluster} without a PostgreSQL installed. The binaries have no {@code pg_basebackup}, so the standby is a stop-and-copy of the primary's data
 * directory with {@code standby.signal} and {@code primary_conninfo}; once it streams, the primary names it in
 * {@code synchronous_standby_names}, so a commit returns only once the standby has the WAL (as in production, where
 * an acknowledged write must survive losing the primary).
 */
public final class ReplicatedDatabase implements AutoCloseable {

    static final String STANDBY_NAME = "standby1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path temporaryRoot; // null: the primary's data is kept
    private final Path primaryDir;
    private final Path standbyDir;
    private final boolean throwAway;
    private EmbeddedPostgres primary;
    private EmbeddedPostgres standby;

    private ReplicatedDatabase(Path temporaryRoot, Path primaryDir, Path standbyDir) {
        this.temporaryRoot = temporaryRoot;
        this.primaryDir = primaryDir;
        this.standbyDir = standbyDir;
        this.throwAway = temporaryRoot != null;
    }

    /** Starts both servers on free ports, with throw-away data; returns once the standby streams synchronously. */
    public static ReplicatedDatabase start() {
        try {
            Path root = Files.createTempDirectory("reviews-replicated-");
            ReplicatedDatabase db = new ReplicatedDatabase(root, root.resolve("primary"), root.resolve("standby"));
            db.startBoth(freePort(), 0);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a primary and a standby", e);
        }
    }

    /**
     * Starts (or restarts) a primary that keeps its data in {@code primaryDir}, and a standby made afresh from it in
     * {@code standbyDir} (whatever was there is replaced).
     */
    public static ReplicatedDatabase startPersistent(Path primaryDir, int primaryPort, Path standbyDir, int standbyPort) {
        EmbeddedDatabase.requireFreePort(primaryPort);
        EmbeddedDatabase.requireFreePort(standbyPort);
        try {
            ReplicatedDatabase db = new ReplicatedDatabase(null, primaryDir, standbyDir);
            db.startBoth(primaryPort, standbyPort);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a primary in " + primaryDir + " and a standby", e);
        }
    }

    private void startBoth(int primaryPort, int standbyPort) throws IOException {
        if (!Files.exists(primaryDir.resolve("PG_VERSION"))) {
            server(primaryDir, primaryPort).close(); // initdb
        }
        // The primary is stopped (cleanly) here, so the copy is a consistent base backup.
        deleteTree(standbyDir);
        copyTree(primaryDir, standbyDir);
        Files.setPosixFilePermissions(standbyDir, PosixFilePermissions.fromString("rwx------")); // postgres insists
        Files.deleteIfExists(standbyDir.resolve("postmaster.pid"));
        Files.createFile(standbyDir.resolve("standby.signal"));
        // In postgresql.auto.conf, not as -c: zonky splits -c values at spaces.
        Files.writeString(standbyDir.resolve("postgresql.auto.conf"),
                "primary_conninfo = 'host=127.0.0.1 port=" + primaryPort + " user=postgres application_name="
                        + STANDBY_NAME + "'\n", StandardOpenOption.APPEND);
        primary = server(primaryDir, primaryPort);
        standby = server(standbyDir, standbyPort);
        awaitStreaming();
        execute(primarySettings(), "ALTER SYSTEM SET synchronous_standby_names = '" + STANDBY_NAME + "'");
        execute(primarySettings(), "SELECT pg_reload_conf()");
        awaitTrue(primarySettings(), "SELECT count(*) > 0 FROM pg_stat_replication WHERE sync_state = 'sync'",
                "the standby to become synchronous");
    }

    private EmbeddedPostgres server(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                .setServerConfig("wal_level", "replica")
                .setServerConfig("max_wal_senders", "5")
                .setServerConfig("hot_standby", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", throwAway ? "off" : "on") // tests: the replication is under test, not the disk
                .setServerConfig("shared_buffers", throwAway ? "128MB" : "512MB")
                .setServerConfig("max_wal_size", "4GB")
                .setPGStartupWait(READY_TIMEOUT)
                // the servers' own logs, beside their data directories, for when a test fails
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile()));
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    private void awaitStreaming() {
        awaitTrue(primarySettings(), "SELECT count(*) > 0 FROM pg_stat_replication WHERE state = 'streaming'"
                + " AND application_name = '" + STANDBY_NAME + "'", "the standby to stream");
    }

    /** The primary's maintenance database. */
    public ConnectionSettings primarySettings() {
        return settings(primary.getPort());
    }

    /** The standby's maintenance database. */
    public ConnectionSettings standbySettings() {
        return settings(standby.getPort());
    }

    public int primaryPort() {
        return primary.getPort();
    }

    public int standbyPort() {
        return standby.getPort();
    }

    /**
     * Both servers, primary first, for writers: pgjdbc connects to whichever of them accepts writes, so after a
     * promotion the same URL reaches the new primary.
     */
    public ConnectionSettings writerSettings(String database) {
        return new ConnectionSettings("jdbc:postgresql://127.0.0.1:" + primary.getPort() + ",127.0.0.1:"
                + standby.getPort() + "/" + database + "?targetServerType=primary", "postgres", "");
    }

    private static ConnectionSettings settings(int port) {
        return new ConnectionSettings("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    /** Waits until the standby has replayed everything the primary had written when this was called. */
    public void awaitStandbyCaughtUp() {
        String target = query(primarySettings(), "SELECT pg_current_wal_insert_lsn()::text");
        awaitTrue(standbySettings(), "SELECT pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn",
                "the standby to replay " + target);
    }

    /** Stops applying WAL on the standby (it still receives and acknowledges it): reads there grow old. */
    public void pauseReplay() {
        execute(standbySettings(), "SELECT pg_wal_replay_pause()");
        awaitTrue(standbySettings(), "SELECT pg_get_wal_replay_pause_state() = 'paused'", "replay to pause");
    }

    public void resumeReplay() {
        execute(standbySettings(), "SELECT pg_wal_replay_resume()");
    }

    /** Kills the primary as a crash would (SIGQUIT to the postmaster: no shutdown checkpoint, connections cut). */
    public void killPrimary() {
        try {
            String pid = Files.readAllLines(primaryDir.resolve("postmaster.pid")).get(0).trim();
            Process kill = new ProcessBuilder("kill", "-QUIT", pid).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -QUIT " + pid + " failed");
            }
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the primary (pid " + pid + ") did not die");
                }
                Thread.sleep(10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Promotes the standby ({@code pg_promote()} waits until it accepts writes). */
    public void promoteStandby() {
        String promoted = query(standbySettings(), "SELECT pg_promote(true, 60)");
        if (!"t".equals(promoted)) {
            throw new IllegalStateException("pg_promote() answered " + promoted);
        }
    }

    @Override
    public void close() {
        for (EmbeddedPostgres server : new EmbeddedPostgres[] {standby, primary}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (IOException | RuntimeException e) {
                // a killed primary cannot be stopped again: its directory is removed below anyway
            }
        }
        if (temporaryRoot != null && System.getenv("KEEP_REPLICATED_DATABASE") == null) {
            deleteTree(temporaryRoot);
        }
    }

    /** Creates {@code name} on the primary unless it exists (it reaches the standby by replication). */
    public void ensureDatabase(String name) {
        if (!"t".equals(query(primarySettings(), "SELECT count(*) > 0 FROM pg_database WHERE datname = '"
                + name.replace("'", "''") + "'"))) {
            execute(primarySettings(), "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * {@code java ... ReplicatedDatabase PRIMARY_DIR PORT STANDBY_DIR STANDBY_PORT DATABASE}: runs both until killed,
     * after printing {@code DATABASE_URL=...} (both hosts, for writers) and {@code DATABASE_READ_URL=...} (the
     * standby); the launcher waits for those lines.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 5) {
            System.err.println("usage: ReplicatedDatabase PRIMARY_DIR PORT STANDBY_DIR STANDBY_PORT DATABASE");
            System.exit(2);
        }
        ReplicatedDatabase db = startPersistent(Path.of(args[0]), Integer.parseInt(args[1]), Path.of(args[2]),
                Integer.parseInt(args[3]));
        Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-postgres-stop"));
        db.ensureDatabase(args[4]);
        db.awaitStandbyCaughtUp();
        System.out.println("DATABASE_READ_URL=" + db.standbySettings().withDatabase(args[4]).jdbcUrl());
        System.out.println("DATABASE_URL=" + db.writerSettings(args[4]).jdbcUrl());
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void awaitTrue(ConnectionSettings on, String sql, String what) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!"t".equals(query(on, sql))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String query(ConnectionSettings on, String sql) {
        try (Connection c = DriverManager.getConnection(on.jdbcUrl(), on.user(), on.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + on, e);
        }
    }

    private static void execute(ConnectionSettings on, String sql) {
        try (Connection c = DriverManager.getConnection(on.jdbcUrl(), on.user(), on.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + on, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
