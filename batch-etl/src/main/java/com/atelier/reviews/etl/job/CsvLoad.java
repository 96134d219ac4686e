package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.CacheChanges;
import com.atelier.reviews.db.ConnectionSettings;
import com.atelier.reviews.db.Migrations;
import com.atelier.reviews.etl.load.SourceFile;
import com.atelier.reviews.etl.progress.FileProgress;
import com.atelier.reviews.etl.progress.ProgressReporter;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobInstance;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.StepExecution;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One load of a directory of the four files: the job instance is the directory plus a fingerprint of the files
 * (names, sizes, modification times), so running the same command again resumes an interrupted load, is a no-op
 * after a completed one, and a newer drop in the same directory is a new load (an upsert).
 */
public final class CsvLoad {

    public enum Status { LOADED, ALREADY_LOADED, FAILED, BUSY }

    /** What a run did; {@code summary} is what it printed at the end. */
    public record Outcome(Status status, long jobInstanceId, LoadSummary summary) {
    }

    private final BatchInfrastructure infra;
    private final LoadOptions options;

    private CsvLoad(BatchInfrastructure infra, LoadOptions options) {
        this.infra = infra;
        this.options = options;
    }

    /**
     * Migrates the schema, then loads {@code dir} unless another load holds the lock.
     *
     * @throws IllegalArgumentException when a file is missing (nothing was done)
     */
    public static Outcome run(ConnectionSettings db, Path dir, LoadOptions options) throws Exception {
        Path directory = dir.toAbsolutePath().normalize();
        for (SourceFile f : SourceFile.values()) {
            if (!Files.isRegularFile(directory.resolve(f.fileName()))) {
                throw new IllegalArgumentException("missing " + directory.resolve(f.fileName()));
            }
        }
        Migrations.migrate(db);
        try (LoadLock lock = LoadLock.tryAcquire(db)) {
            if (lock == null) {
                options.out().println("another load is running on this database; nothing done");
                return new Outcome(Status.BUSY, -1, null);
            }
            try (BatchInfrastructure infra = BatchInfrastructure.connect(db)) {
                return new CsvLoad(infra, options).load(directory);
            }
        }
    }

    private Outcome load(Path dir) throws Exception {
        PrintStream out = options.out();
        JobParameters parameters = new JobParametersBuilder()
                .addString("dir", dir.toString())
                .addString("fingerprint", fingerprint(dir))
                .toJobParameters();
        JobInstance instance = infra.jobExplorer().getJobInstance(LoadJob.NAME, parameters);
        if (instance != null) {
            JobExecution last = infra.jobExplorer().getLastJobExecution(instance);
            if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
                notifyApiNodes();
                out.printf("%s is already loaded (job instance %d, completed %s): nothing to do%n", dir,
                        instance.getInstanceId(), last.getEndTime());
                return new Outcome(Status.ALREADY_LOADED, instance.getInstanceId(), null);
            }
        }
        failExecutionsOfDeadProcesses();

        Map<SourceFile, FileProgress> progress = new EnumMap<>(SourceFile.class);
        for (SourceFile f : SourceFile.values()) {
            progress.put(f, new FileProgress(f.fileName(), Files.size(dir.resolve(f.fileName()))));
        }
        JobExecution execution;
        long started = System.nanoTime();
        long peakHeap;
        try (ProgressReporter reporter = new ProgressReporter(progress.values(), out, options.progressSeconds());
             IndexBuilds indexBuilds = new IndexBuilds(infra.dataSource());
             BulkStatsWriter bulkStats = new BulkStatsWriter(infra.dataSource())) {
            execution = infra.jobLauncher().run(LoadJob.build(infra, dir, options, progress, indexBuilds, bulkStats),
                    parameters);
            peakHeap = reporter.peakHeapBytes();
        }
        boolean completed = execution.getStatus() == BatchStatus.COMPLETED;
        if (completed) {
            awaitApiNodes();
        }
        LoadSummary summary = LoadSummary.of(infra, execution, (System.nanoTime() - started) / 1_000_000, peakHeap);
        out.print(summary.format());
        return new Outcome(completed ? Status.LOADED : Status.FAILED, execution.getJobInstance().getInstanceId(),
                summary);
    }

    /**
     * A job execution still marked as running can only belong to a process that died (we hold the load lock, and
     * a live loader would too): marks it and its running step FAILED, which is what lets Spring Batch restart it.
     */
    private void failExecutionsOfDeadProcesses() {
        for (JobExecution execution : infra.jobExplorer().findRunningJobExecutions(LoadJob.NAME)) {
            LocalDateTime now = LocalDateTime.now();
            ExitStatus died = ExitStatus.FAILED.addExitDescription("the process running it stopped abruptly");
            for (StepExecution step : execution.getStepExecutions()) {
                if (step.getStatus().isRunning()) {
                    step.setStatus(BatchStatus.FAILED);
                    step.setExitStatus(died);
                    step.setEndTime(now);
                    infra.jobRepository().update(step);
                }
            }
            execution.setStatus(BatchStatus.FAILED);
            execution.setExitStatus(died);
            execution.setEndTime(now);
            infra.jobRepository().update(execution);
            options.out().printf("job execution %d of an earlier load stopped abruptly; resuming it%n",
                    execution.getId());
        }
    }

    private void notifyApiNodes() throws Exception {
        try (Connection c = infra.dataSource().getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(CacheChanges.RECORD_EVERYTHING_CHANGED);
        }
        awaitApiNodes();
    }

    /** Returns once every API node serves what was committed (nodes trust their caches for one lease at most). */
    private static void awaitApiNodes() throws InterruptedException {
        Thread.sleep(CacheChanges.MAX_LEASE_MILLIS);
    }

    /** Names, sizes and modification times of the four files: a new drop (or a touched file) is a new load. */
    static String fingerprint(Path dir) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (SourceFile f : SourceFile.values()) {
                Path file = dir.resolve(f.fileName());
                sha.update((f.fileName() + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis()
                        + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
