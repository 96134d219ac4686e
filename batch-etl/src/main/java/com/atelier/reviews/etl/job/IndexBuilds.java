package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.ConstraintStash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rebuilds a bulk load's keys and indexes in the background as soon as their table is loaded, while the other files
 * load, then analyzes the table: two at a time, each on its own connection and in its own transaction together with forgetting it in
 * {@code etl_saved_constraints} (so a crash leaves it saved, and the final restore step builds it). The foreign keys
 * wait for {@link RestoreConstraintsTasklet}, which first waits for these.
 */
final class IndexBuilds implements AutoCloseable {

    /** Two builds at once on a 2-core server, each sorting in memory. */
    static final int PARALLEL = 2;
    static final String MAINTENANCE_WORK_MEM = "512MB";
    private static final Logger LOG = LoggerFactory.getLogger(IndexBuilds.class);

    private final DataSource dataSource;
    private final ExecutorService pool;
    private final List<Future<?>> builds = new ArrayList<>();
    private final Set<String> analyzed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger completed = new AtomicInteger();

    IndexBuilds(DataSource dataSource) {
        this.dataSource = dataSource;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "index-build-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts rebuilding the keys and indexes of {@code table} that a bulk load dropped, then ANALYZE of the table
     * (none dropped: nothing to do).
     */
    synchronized void start(String table) throws SQLException {
        List<Integer> positions;
        try (Connection c = dataSource.getConnection()) {
            positions = ConstraintStash.keysAndIndexes(c, table);
        }
        if (positions.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> indexes = new ArrayList<>();
        for (int position : positions) {
            indexes.add(CompletableFuture.runAsync(unchecked(() -> build(position)), pool));
        }
        builds.addAll(indexes);
        builds.add(CompletableFuture.allOf(indexes.toArray(CompletableFuture[]::new))
                .thenRunAsync(unchecked(() -> analyze(table)), pool));
    }

    /** The tables analyzed in the background. */
    Set<String> analyzed() {
        return Set.copyOf(analyzed);
    }

    private void analyze(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE " + table); // fresh statistics for the API's plans
        }
        analyzed.add(table);
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private static Runnable unchecked(SqlWork work) {
        return () -> {
            try {
                work.run();
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        };
    }

    private void build(int position) throws SQLException {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (ConstraintStash.restoreOne(c, position, MAINTENANCE_WORK_MEM)) {
                    c.commit();
                    completed.incrementAndGet();
                    LOG.info("rebuilt saved key/index {} in {} ms", position, (System.nanoTime() - started) / 1_000_000);
                } else {
                    c.rollback();
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** How many keys and indexes were rebuilt (and committed) in the background. */
    int completed() {
        return completed.get();
    }

    /** Waits for every build started; throws the first failure (its key or index stays saved, to be rebuilt). */
    void awaitAll() throws Exception {
        List<Future<?>> started;
        synchronized (this) {
            started = new ArrayList<>(builds);
        }
        Exception failure = null;
        for (Future<?> f : started) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null
                        ? c.getCause() : e.getCause();
                if (failure == null) {
                    failure = cause instanceof Exception ex ? ex : e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Lets running builds finish (a failed load's builds are still useful work), then stops the threads. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            awaitAll();
        } catch (Exception e) {
            LOG.warn("a background key/index build failed; the next run rebuilds it: {}", e.toString());
        }
    }
}
