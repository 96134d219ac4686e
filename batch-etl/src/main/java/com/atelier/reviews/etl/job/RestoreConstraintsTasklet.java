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

/** After the files: rebuilds the keys, indexes and foreign keys a bulk load dropped (one transaction), then ANALYZE. */
final class RestoreConstraintsTasklet implements Tasklet {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreConstraintsTasklet.class);

    private final DataSource dataSource;

    RestoreConstraintsTasklet(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Connection c = DataSourceUtils.getConnection(dataSource);
        int restored = ConstraintStash.restore(c);
        if (restored > 0) {
            LOG.info("rebuilt {} keys, indexes and foreign keys", restored);
        }
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE " + String.join(", ", SourceFile.tables())); // fresh statistics for the API's plans
        }
        chunkContext.getStepContext().getStepExecution().getExecutionContext().putInt("restored", restored);
        return RepeatStatus.FINISHED;
    }
}
