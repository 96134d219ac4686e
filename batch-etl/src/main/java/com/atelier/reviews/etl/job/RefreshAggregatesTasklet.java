package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.ConstraintStash;
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
 * load, as the sums of the chunks' partial aggregates (before the keys and foreign keys are rebuilt, so the insert
 * checks none); after an upsert, recomputed for the products and characteristics the chunks recorded as changed (or
 * from scratch when a drop changed many products). The stats tables are locked against the API's writes meanwhile,
 * so an API write is either seen by the recomputation or applied after it, never lost.
 */
final class RefreshAggregatesTasklet implements Tasklet {

    /** Beyond this many changed products a full rebuild is cheaper than per-product recomputation. */
    private static final long FULL_REBUILD_ABOVE = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(RefreshAggregatesTasklet.class);

    private final DataSource dataSource;

    RefreshAggregatesTasklet(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Connection c = DataSourceUtils.getConnection(dataSource);
        String done;
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE product_review_stats, characteristic_stats IN SHARE ROW EXCLUSIVE MODE");
            boolean rebuildOwed = owed(s, PrepareLoadTasklet.REBUILD_STATS);
            boolean sumOwed = owed(s, PrepareLoadTasklet.SUM_STATS_PARTS);
            long products = count(s, "SELECT count(DISTINCT product_id) FROM etl_changed_products");
            long characteristics = count(s, "SELECT count(DISTINCT characteristic_id) FROM etl_changed_characteristics");
            s.execute("SET LOCAL work_mem = '256MB'");
            if (rebuildOwed || products > FULL_REBUILD_ABOVE) {
                s.execute("SELECT rebuild_review_stats()");
                done = "rebuilt from scratch";
            } else if (sumOwed) {
                if (ConstraintStash.foreignKeysKept(c)) {
                    ConstraintStash.skipForeignKeyChecks(c); // the ids come from loaded characteristics
                }
                s.execute("TRUNCATE product_review_stats, characteristic_stats");
                s.execute("""
                        INSERT INTO product_review_stats
                        SELECT product_id, sum(rating_1), sum(rating_2), sum(rating_3), sum(rating_4), sum(rating_5),
                               sum(recommended_true), sum(recommended_false)
                          FROM etl_stats_product_parts GROUP BY product_id ORDER BY product_id""");
                s.execute("""
                        INSERT INTO characteristic_stats
                        SELECT characteristic_id, sum(value_sum), sum(value_count)
                          FROM etl_stats_characteristic_parts GROUP BY characteristic_id ORDER BY characteristic_id""");
                done = "summed from the chunks' partial sums";
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
                    + PrepareLoadTasklet.SUM_STATS_PARTS + "')");
            s.execute("TRUNCATE etl_changed_products, etl_changed_characteristics, etl_stats_product_parts,"
                    + " etl_stats_characteristic_parts");
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
