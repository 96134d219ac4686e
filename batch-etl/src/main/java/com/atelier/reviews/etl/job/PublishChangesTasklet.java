package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.CacheChanges;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Last step: moves the id sequences past the loaded ids (so API inserts do not collide) and tells every API node to
 * drop its caches: an "everything changed" row in {@code cache_changes}, which the nodes' change feeds pick up once
 * this step's transaction commits.
 */
final class PublishChangesTasklet implements Tasklet {

    private final DataSource dataSource;

    PublishChangesTasklet(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT reset_review_id_sequences()");
            s.execute(CacheChanges.RECORD_EVERYTHING_CHANGED);
        }
        return RepeatStatus.FINISHED;
    }
}
