package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.BulkAggregates;
import com.atelier.reviews.etl.load.IdSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Writes a bulk load's aggregates from the validators' in-memory counts ({@link BulkAggregates}), the one writer of
 * both stats tables for a bulk load: {@code product_review_stats} early, once reviews.csv is loaded, on its own
 * thread and transaction while the other files load (so only {@code characteristic_stats} is left for the end);
 * the rest in the transaction of {@link RefreshAggregatesTasklet}, products included when the early write did not
 * commit. Each write locks what it writes as the refresh does, against the API's writes.
 */
final class BulkStatsWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BulkStatsWriter.class);

    private final DataSource dataSource;
    private final BulkAggregates counts = new BulkAggregates();
    private CompletableFuture<Void> earlyProducts;

    BulkStatsWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the validators count into. */
    BulkAggregates counts() {
        return counts;
    }

    /** Starts writing {@code product_review_stats} (reviews.csv was bulk loaded whole in this run). */
    synchronized void startProducts() {
        earlyProducts = CompletableFuture.runAsync(() -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE product_review_stats IN SHARE ROW EXCLUSIVE MODE");
                    s.execute("TRUNCATE product_review_stats");
                    long rows = counts.writeProducts(c);
                    c.commit();
                    LOG.info("product stats written from the in-memory counts ({} rows)", rows);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * In the caller's transaction, which holds the stats tables locked: writes {@code characteristic_stats}, a row per
     * id in {@code characteristicIds}, and {@code product_review_stats} unless the early write committed it.
     * Returns the rows written.
     */
    long writeRest(Connection c, IdSet characteristicIds) throws SQLException {
        long rows = 0;
        try (Statement s = c.createStatement()) {
            if (!productsWrittenEarly()) {
                s.execute("TRUNCATE product_review_stats");
                rows += counts.writeProducts(c);
            }
            s.execute("TRUNCATE characteristic_stats");
            rows += counts.writeCharacteristics(c, characteristicIds);
        }
        return rows;
    }

    /** True when {@link #startProducts} ran and committed (waits for it). */
    private boolean productsWrittenEarly() {
        CompletableFuture<Void> f;
        synchronized (this) {
            f = earlyProducts;
        }
        if (f == null) {
            return false;
        }
        try {
            f.join();
            return true;
        } catch (CompletionException e) {
            LOG.warn("writing the product stats early failed, the refresh writes them: {}", e.getCause().toString());
            return false;
        }
    }

    /** Waits for the early write: its connection must be back before the data source closes. */
    @Override
    public void close() {
        productsWrittenEarly();
    }
}
