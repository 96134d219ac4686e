package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.CharacteristicValidator;
import com.atelier.reviews.etl.load.CharacteristicValueValidator;
import com.atelier.reviews.etl.load.CopyChunkWriter;
import com.atelier.reviews.etl.load.CsvFileReader;
import com.atelier.reviews.etl.load.LoadItem;
import com.atelier.reviews.etl.load.PhotoValidator;
import com.atelier.reviews.etl.load.ReferenceHandOver;
import com.atelier.reviews.etl.load.ReferenceIds;
import com.atelier.reviews.etl.load.ReviewValidator;
import com.atelier.reviews.etl.load.RowValidator;
import com.atelier.reviews.etl.load.SourceFile;
import com.atelier.reviews.etl.progress.FileProgress;
import org.springframework.batch.core.ChunkListener;
import org.springframework.batch.core.ItemProcessListener;
import org.springframework.batch.core.ItemReadListener;
import org.springframework.batch.core.ItemWriteListener;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.StepListener;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.step.builder.SimpleStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;

import java.nio.file.Path;
import java.util.Map;

/**
 * The job: prepare, then one chunk-oriented step per file in dependency order (a reader that parses and validates
 * ahead, a COPY writer), then refresh the aggregates, rebuild the dropped constraints and publish. Each step that completed is
 * skipped on restart; a step that failed resumes from its last committed chunk.
 */
public final class LoadJob {

    public static final String NAME = "csv-load";

    private LoadJob() {
    }

    /** A new job for one run over {@code dir} (its readers and validators hold per-run state). */
    static Job build(BatchInfrastructure infra, Path dir, LoadOptions options, Map<SourceFile, FileProgress> progress) {
        ReferenceIds references = new ReferenceIds(infra.dataSource());
        JobBuilder job = new JobBuilder(NAME, infra.jobRepository());
        return job.start(tasklet(infra, "prepare", new PrepareLoadTasklet(infra.dataSource(), options.skipForeignKeyChecksIfAllowed())))
                .next(fileStep(infra, SourceFile.CHARACTERISTICS, dir, options, progress, references))
                .next(fileStep(infra, SourceFile.REVIEWS, dir, options, progress, references))
                .next(fileStep(infra, SourceFile.REVIEWS_PHOTOS, dir, options, progress, references))
                .next(fileStep(infra, SourceFile.CHARACTERISTIC_REVIEWS, dir, options, progress, references))
                .next(tasklet(infra, "refresh-aggregates", new RefreshAggregatesTasklet(infra.dataSource())))
                .next(tasklet(infra, "restore-constraints", new RestoreConstraintsTasklet(infra.dataSource())))
                .next(tasklet(infra, "publish", new PublishChangesTasklet(infra.dataSource())))
                .build();
    }

    private static Step fileStep(BatchInfrastructure infra, SourceFile source, Path dir, LoadOptions options,
                                 Map<SourceFile, FileProgress> progress, ReferenceIds references) {
        Path file = dir.resolve(source.fileName());
        RowValidator validator = validator(source, file, references);
        CopyChunkWriter writer = new CopyChunkWriter(source, infra.dataSource());
        SimpleStepBuilder<LoadItem, LoadItem> step = new StepBuilder(source.stepName(), infra.jobRepository())
                .<LoadItem, LoadItem>chunk(options.chunkSize(source), infra.transactionManager())
                .reader(new CsvFileReader(source, file, validator, progress.get(source)))
                .writer(writer)
                .listener(new ReferenceHandOver(source, validator, writer, references));
        for (StepListener listener : options.listeners(source)) {
            register(step, listener);
        }
        return step.build();
    }

    /** The builder's listener(Object) only sees annotated methods: pick the overload of the interface. */
    @SuppressWarnings("unchecked")
    private static void register(SimpleStepBuilder<LoadItem, LoadItem> step, StepListener listener) {
        if (listener instanceof ItemWriteListener<?> l) {
            step.listener((ItemWriteListener<LoadItem>) l);
        }
        if (listener instanceof ItemReadListener<?> l) {
            step.listener((ItemReadListener<LoadItem>) l);
        }
        if (listener instanceof ItemProcessListener<?, ?> l) {
            step.listener((ItemProcessListener<LoadItem, LoadItem>) l);
        }
        if (listener instanceof ChunkListener l) {
            step.listener(l);
        }
        if (listener instanceof StepExecutionListener l) {
            step.listener(l);
        }
    }

    private static RowValidator validator(SourceFile source, Path file, ReferenceIds references) {
        return switch (source) {
            case CHARACTERISTICS -> new CharacteristicValidator(file);
            case REVIEWS -> new ReviewValidator(file);
            case REVIEWS_PHOTOS -> new PhotoValidator(file, references);
            case CHARACTERISTIC_REVIEWS -> new CharacteristicValueValidator(file, references);
        };
    }

    private static Step tasklet(BatchInfrastructure infra, String name, Tasklet tasklet) {
        return new StepBuilder(name, infra.jobRepository()).tasklet(tasklet, infra.transactionManager()).build();
    }
}
