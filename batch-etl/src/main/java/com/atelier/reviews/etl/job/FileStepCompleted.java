package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.CopyChunkWriter;
import com.atelier.reviews.etl.load.ReferenceIds;
import com.atelier.reviews.etl.load.RowValidator;
import com.atelier.reviews.etl.load.SourceFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;

import java.sql.SQLException;

/**
 * What a file step's completion in this run starts, all in one place: the file's in-memory counts are whole; after a
 * bulk load from the first line, the ids the validator accepted are handed to {@link ReferenceIds} (they are exactly
 * the table's); after reviews.csv, the product stats are written early ({@link BulkStatsWriter}); and the table's
 * dropped keys and indexes start rebuilding ({@link IndexBuilds}).
 */
final class FileStepCompleted implements StepExecutionListener {

    private static final Logger LOG = LoggerFactory.getLogger(FileStepCompleted.class);

    private final SourceFile source;
    private final RowValidator validator;
    private final CopyChunkWriter writer;
    private final ReferenceIds references;
    private final BulkStatsWriter stats;
    private final IndexBuilds indexBuilds;

    FileStepCompleted(SourceFile source, RowValidator validator, CopyChunkWriter writer, ReferenceIds references,
                      BulkStatsWriter stats, IndexBuilds indexBuilds) {
        this.source = source;
        this.validator = validator;
        this.writer = writer;
        this.references = references;
        this.stats = stats;
        this.indexBuilds = indexBuilds;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            return null;
        }
        stats.counts().completed(source);
        if (writer.bulk()) {
            if (!validator.replayed()) {
                validator.handOverAcceptedIds(references);
            }
            if (source == SourceFile.REVIEWS) {
                stats.startProducts();
            }
        }
        try {
            indexBuilds.start(source.table());
        } catch (SQLException e) {
            // not fatal: the restore step rebuilds whatever is still saved
            LOG.warn("cannot start the index builds of {}: {}", source.table(), e.toString());
        }
        return null;
    }
}
