package com.atelier.reviews.etl.load;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;

/**
 * When this run loaded reviews.csv or characteristics.csv whole into an empty table (a bulk load from the first
 * line), the ids its validator accepted are exactly the table's: hands them to {@link ReferenceIds}, which then need
 * not read them back for the files that refer to them.
 */
public final class ReferenceHandOver implements StepExecutionListener {

    private final SourceFile source;
    private final RowValidator validator;
    private final CopyChunkWriter writer;
    private final ReferenceIds references;

    public ReferenceHandOver(SourceFile source, RowValidator validator, CopyChunkWriter writer, ReferenceIds references) {
        this.source = source;
        this.validator = validator;
        this.writer = writer;
        this.references = references;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() != BatchStatus.COMPLETED || !writer.bulk() || validator.replayed()) {
            return null;
        }
        if (validator instanceof ReviewValidator reviews) {
            references.handOverReviews(reviews.acceptedIds(), reviews.reportedIds());
        } else if (source == SourceFile.CHARACTERISTICS) {
            references.handOverCharacteristics(validator.acceptedIds());
        }
        return null;
    }
}
