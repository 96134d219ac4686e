package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.CharacteristicValidator;
import com.atelier.reviews.etl.load.CharacteristicValueValidator;
import com.atelier.reviews.etl.load.CopyChunkWriter;
import com.atelier.reviews.etl.load.CsvFileReader;
import com.atelier.reviews.etl.load.RecordBlock;
import com.atelier.reviews.etl.load.PhotoValidator;
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
import org.springframework.batch.core.Step;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.StepListener;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.step.builder.SimpleStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import java.nio.file.Path;
import java.util.Map;

/**
 * The job: prepare; then the files in two rounds of two parallel steps, each file after the files it refers to
 * (characteristics.csv beside reviews.csv, then reviews_photos.csv beside characteristic_reviews.csv: two COPY
 * streams for two cores); then the aggregates, the rest of the dropped constraints, and publish. Each file step is
 * chunk-oriented (a reader that parses and validates ahead, a COPY writer); when a bulk load finishes a file, that
 * table's keys and indexes start rebuilding in the background ({@link IndexBuilds}). Each step that completed is
 * skipped on restart; a step that failed resumes from its last committed chunk.
 */
public final class LoadJob {

    public static final String NAME = "csv-load";

    private LoadJob() {
    }

    /** A new job for one run over {@code dir} (its readers and validators hold per-run state). */
    static Job build(BatchInfrastructure infra, Path dir, LoadOptions options, Map<SourceFile, FileProgress> progress,
                     IndexBuilds indexBuilds, BulkStatsWriter bulkStats) {
        ReferenceIds references = new ReferenceIds(infra.dataSource());
        FileSteps files = new FileSteps(infra, dir, options, progress, references, bulkStats, indexBuilds);
        Flow firstRound = parallel("characteristics-and-reviews",
                files.step(SourceFile.CHARACTERISTICS), files.step(SourceFile.REVIEWS));
        Flow secondRound = parallel("photos-and-characteristic-values",
                files.step(SourceFile.REVIEWS_PHOTOS), files.step(SourceFile.CHARACTERISTIC_REVIEWS));
        return new JobBuilder(NAME, infra.jobRepository())
                .flow(tasklet(infra, "prepare", new PrepareLoadTasklet(infra.dataSource(),
                        options.skipForeignKeyChecksIfAllowed())))
                .next(firstRound)
                .next(secondRound)
                .next(tasklet(infra, "refresh-aggregates", new RefreshAggregatesTasklet(infra.dataSource(), bulkStats,
                        references, indexBuilds)))
                .next(tasklet(infra, "restore-constraints", new RestoreConstraintsTasklet(infra.dataSource(),
                        indexBuilds)))
                .next(tasklet(infra, "publish", new PublishChangesTasklet(infra.dataSource())))
                .end()
                .build();
    }

    /** Two steps at once, each on its own thread; the flow ends when both ended (and fails if either failed). */
    private static Flow parallel(String name, Step a, Step b) {
        return new FlowBuilder<Flow>(name)
                .split(new SimpleAsyncTaskExecutor(name + "-"))
                .add(new FlowBuilder<Flow>(a.getName()).start(a).build(),
                        new FlowBuilder<Flow>(b.getName()).start(b).build())
                .build();
    }

    /** Builds the file steps, which share the run's references, aggregates and background index builds. */
    private record FileSteps(BatchInfrastructure infra, Path dir, LoadOptions options,
                         Map<SourceFile, FileProgress> progress, ReferenceIds references, BulkStatsWriter bulkStats,
                         IndexBuilds indexBuilds) {

        Step step(SourceFile source) {
            Path file = dir.resolve(source.fileName());
            RowValidator validator = validator(source, file, references);
            validator.countInto(bulkStats.counts());
            CopyChunkWriter writer = new CopyChunkWriter(source, infra.dataSource());
            int chunk = options.chunkSize(source);
            int block = CsvFileReader.blockRecords(chunk);
            SimpleStepBuilder<RecordBlock, RecordBlock> step = new StepBuilder(source.stepName(), infra.jobRepository())
                    .<RecordBlock, RecordBlock>chunk(chunk / block, infra.transactionManager())
                    .reader(new CsvFileReader(source, file, validator, progress.get(source), block))
                    .writer(writer)
                    .listener(new FileStepCompleted(source, validator, writer, references,
                            bulkStats, indexBuilds));
            for (StepListener listener : options.listeners(source)) {
                register(step, listener);
            }
            return step.build();
        }
    }

    /** The builder's listener(Object) only sees annotated methods: pick the overload of the interface. */
    @SuppressWarnings("unchecked")
    private static void register(SimpleStepBuilder<RecordBlock, RecordBlock> step, StepListener listener) {
        if (listener instanceof ItemWriteListener<?> l) {
            step.listener((ItemWriteListener<RecordBlock>) l);
        }
        if (listener instanceof ItemReadListener<?> l) {
            step.listener((ItemReadListener<RecordBlock>) l);
        }
        if (listener instanceof ItemProcessListener<?, ?> l) {
            step.listener((ItemProcessListener<RecordBlock, RecordBlock>) l);
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
