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
import java.sql.Statement;
import java.util.List;

/**
 * After the files: waits for the keys and indexes rebuilding in the background ({@link IndexBuilds}), then rebuilds
 * what a bulk load dropped and is still saved (the foreign keys, or everything after a restart; one transaction),
 * then ANALYZE.
 */
final class RestoreConstraintsTasklet implements Tasklet {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreConstraintsTasklet.class);

    private final DataSource dataSource;
    private final IndexBuilds indexBuilds;

    RestoreConstraintsTasklet(DataSource dataSource, IndexBuilds indexBuilds) {
        this.dataSource = dataSource;
        this.indexBuilds = indexBuilds;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        indexBuilds.awaitAll(); // the keys and indexes started when each file was loaded
        Connection c = DataSourceUtils.getConnection(dataSource);
        int restored = ConstraintStash.restore(c); // the foreign keys, and any key or index not rebuilt yet
        if (restored > 0) {
            LOG.info("rebuilt {} keys, indexes and foreign keys", restored);
        }
        restored += indexBuilds.completed();
        try (Statement s = c.createStatement()) {
            List<String> tables = SourceFile.tables().stream()
                    .filter(t -> !indexBuilds.analyzed().contains(t)).toList(); // the rest were, after their indexes
            if (!tables.isEmpty()) {
                s.execute("ANALYZE " + String.join(", ", tables)); // fresh statistics for the API's plans
            }
        }
        chunkContext.getStepContext().getStepExecution().getExecutionContext().putInt("restored", restored);
        return RepeatStatus.FINISHED;
    }
}
