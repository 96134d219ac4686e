package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.ConstraintStash;
import com.atelier.reviews.etl.load.ReferenceIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Makes {@code product_review_stats} and {@code characteristic_stats} exact again, in one transaction: after a bulk
 * load, one COPY of the counts the validators made in memory ({@link BulkStatsWriter}; recomputed from the tables
 * instead when an earlier, interrupted run loaded some of the files); after an upsert, recomputed for the products and characteristics the chunks recorded as changed (or
 * from scratch when a drop changed many products). The stats tables are locked against the API's writes meanwhile,
 * so an API write is either seen by the recomputation or applied after it, never lost.
 */
final class RefreshAggregatesTasklet implements Tasklet {

    /** Beyond this many changed products a full rebuild is cheaper than per-product recomputation. */
    private static final long FULL_REBUILD_ABOVE = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(RefreshAggregatesTasklet.class);

    private final DataSource dataSource;
    private final BulkStatsWriter bulkStats;
    private final ReferenceIds references;
    private final IndexBuilds indexBuilds;

    RefreshAggregatesTasklet(DataSource dataSource, BulkStatsWriter bulkStats, ReferenceIds references,
                             IndexBuilds indexBuilds) {
        this.dataSource = dataSource;
        this.bulkStats = bulkStats;
        this.references = references;
        this.indexBuilds = indexBuilds;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Connection c = DataSourceUtils.getConnection(dataSource);
        String done;
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE product_review_stats, characteristic_stats IN SHARE ROW EXCLUSIVE MODE");
            boolean rebuildOwed = owed(s, PrepareLoadTasklet.REBUILD_STATS);
            boolean bulkOwed = owed(s, PrepareLoadTasklet.BULK_STATS);
            long products = count(s, "SELECT count(DISTINCT product_id) FROM etl_changed_products");
            long characteristics = count(s, "SELECT count(DISTINCT characteristic_id) FROM etl_changed_characteristics");
            s.execute("SET LOCAL work_mem = '256MB'");
            if (bulkOwed && !rebuildOwed && bulkStats.counts().complete()) {
                if (ConstraintStash.foreignKeysKept(c)) {
                    ConstraintStash.skipForeignKeyChecks(c); // the ids are those of the loaded characteristics
                }
                long rows = bulkStats.writeRest(c, references.characteristicIds());
                done = "written from the validators' in-memory counts (" + rows + " rows at the end)";
            } else if (rebuildOwed || bulkOwed || products > FULL_REBUILD_ABOVE) {
                // A bulk load whose first files were loaded by an earlier run (its counts died with it), or too many
                // changes: from the tables. The background index builds go first, so no lock waits on them.
                indexBuilds.awaitAll();
                if (ConstraintStash.foreignKeysKept(c)) {
                    ConstraintStash.skipForeignKeyChecks(c); // the ids come from the characteristics table itself
                }
                s.execute("SELECT rebuild_review_stats()");
                done = "rebuilt from scratch";
            } else if (products + characteristics > 0) {
                s.execute("""
                        SELECT refresh_review_stats(
                            ARRAY(SELECT DISTINCT product_id FROM etl_changed_products),
                            ARRAY(SELECT DISTINCT characteristic_id FROM etl_changed_characteristics))""");
                done = "recomputed for " + products + " products and " + characteristics + " characteristics";
            } else {
                done = "unchanged";
            }
            s.execute("DELETE FROM etl_pending WHERE task IN ('" + PrepareLoadTasklet.REBUILD_STATS + "', '"
                    + PrepareLoadTasklet.BULK_STATS + "')");
            s.execute("TRUNCATE etl_changed_products, etl_changed_characteristics");
        }
        LOG.info("aggregates {}", done);
        chunkContext.getStepContext().getStepExecution().getExecutionContext().putString("aggregates", done);
        return RepeatStatus.FINISHED;
    }

    private static boolean owed(Statement s, String task) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM etl_pending WHERE task = '" + task + "'")) {
            return rs.next();
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
