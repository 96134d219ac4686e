package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.ConstraintStash;
import com.atelier.reviews.etl.load.SourceFile;
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
 * First step of a load. When the four tables are empty, chooses a bulk load: saves and drops their keys, indexes
 * and foreign keys (rebuilt as each table is loaded, {@link IndexBuilds}, and by {@link RestoreConstraintsTasklet});
 * the aggregates are then written from the validators' in-memory counts ({@link RefreshAggregatesTasklet}).
 * Otherwise the files are upserted. Runs once per job instance; a restart keeps the choice (it is in the database).
 *
 * <p>If an earlier, different load was interrupted during a bulk load and never resumed, its constraints are restored
 * first: its rows become ordinary rows this load upserts over.
 */
final class PrepareLoadTasklet implements Tasklet {

    static final String REBUILD_STATS = "rebuild_review_stats";
    /** A bulk load's aggregates are owed: written from the in-memory counts when they are whole. */
    static final String BULK_STATS = "bulk_load_stats";
    private static final Logger LOG = LoggerFactory.getLogger(PrepareLoadTasklet.class);

    private final DataSource dataSource;
    private final boolean skipForeignKeyChecksIfAllowed;

    PrepareLoadTasklet(DataSource dataSource, boolean skipForeignKeyChecksIfAllowed) {
        this.dataSource = dataSource;
        this.skipForeignKeyChecksIfAllowed = skipForeignKeyChecksIfAllowed;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Connection c = DataSourceUtils.getConnection(dataSource);
        if (ConstraintStash.anyStashed(c)) {
            int restored = ConstraintStash.restore(c);
            owe(c, REBUILD_STATS);
            LOG.warn("an earlier bulk load was interrupted and not resumed: restored its {} keys and indexes", restored);
        }
        String mode;
        if (allEmpty(c)) {
            boolean keepForeignKeys = skipForeignKeyChecksIfAllowed && ConstraintStash.canSkipForeignKeyChecks(c);
            int dropped = ConstraintStash.stashAndDrop(c, SourceFile.tables(), keepForeignKeys);
            owe(c, BULK_STATS);
            mode = "bulk load into empty tables (" + dropped + (keepForeignKeys ? " keys and indexes" : " keys, indexes"
                    + " and foreign keys") + " dropped, rebuilt at the end" + (keepForeignKeys ? "; foreign keys kept,"
                    + " their triggers off for the load: the loader checks every reference" : "") + ")";
        } else {
            mode = "upsert into existing rows";
        }
        LOG.info("load mode: {}", mode);
        chunkContext.getStepContext().getStepExecution().getExecutionContext().putString("mode", mode);
        return RepeatStatus.FINISHED;
    }

    private static boolean allEmpty(Connection c) throws Exception {
        String sql = "SELECT " + String.join(" AND ",
                SourceFile.tables().stream().map(t -> "NOT EXISTS (SELECT 1 FROM " + t + ")").toList());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static void owe(Connection c, String task) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO etl_pending (task) VALUES ('" + task + "') ON CONFLICT DO NOTHING");
        }
    }
}
