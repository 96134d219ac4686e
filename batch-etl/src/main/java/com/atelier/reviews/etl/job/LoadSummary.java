package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.CsvFileReader;
import com.atelier.reviews.etl.load.LoadCounts;
import com.atelier.reviews.etl.load.SourceFile;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-of-load report: per file the rows read, inserted, updated, unchanged and rejected, the time and rows/s
 * (all runs of the job instance together, restarts included), the post-load steps, the rejects by reason, and the
 * peak heap.
 */
public final class LoadSummary {

    /** One file's figures. */
    public record FileResult(long read, LoadCounts counts) {
        public double rowsPerSecond() {
            return counts.millis() == 0 ? 0 : read * 1000.0 / counts.millis();
        }
    }

    private final JobExecution execution;
    private final Map<SourceFile, FileResult> files;
    private final Map<String, StepExecution> steps;
    private final List<String> rejectsByReason;
    private final long totalRejects;
    private final long wallMillis;
    private final long peakHeapBytes;

    private LoadSummary(JobExecution execution, Map<SourceFile, FileResult> files, Map<String, StepExecution> steps,
                        List<String> rejectsByReason, long totalRejects, long wallMillis, long peakHeapBytes) {
        this.execution = execution;
        this.files = files;
        this.steps = steps;
        this.rejectsByReason = rejectsByReason;
        this.totalRejects = totalRejects;
        this.wallMillis = wallMillis;
        this.peakHeapBytes = peakHeapBytes;
    }

    static LoadSummary of(BatchInfrastructure infra, JobExecution execution, long wallMillis, long peakHeapBytes)
            throws SQLException {
        // The latest execution of each step, across every run of this job instance.
        Map<String, StepExecution> steps = new HashMap<>();
        for (JobExecution run : infra.jobExplorer().getJobExecutions(execution.getJobInstance())) {
            for (StepExecution step : run.getStepExecutions()) {
                steps.merge(step.getStepName(), step,
                        (a, b) -> Comparator.comparing(StepExecution::getId).compare(a, b) >= 0 ? a : b);
            }
        }
        Map<SourceFile, FileResult> files = new EnumMap<>(SourceFile.class);
        for (SourceFile f : SourceFile.values()) {
            StepExecution step = steps.get(f.stepName());
            if (step != null) {
                files.put(f, new FileResult(step.getExecutionContext().getLong(CsvFileReader.RECORDS, 0),
                        LoadCounts.from(step.getExecutionContext())));
            }
        }
        List<String> reasons = new ArrayList<>();
        long total = 0;
        try (Connection c = infra.dataSource().getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT file, split_part(reason, ':', 1) AS kind, count(*) FROM etl_rejects
                 WHERE job_instance_id = ? GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2""")) {
            s.setLong(1, execution.getJobInstance().getInstanceId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    reasons.add(String.format("  %-27s %-45s %,10d", rs.getString(1), rs.getString(2), rs.getLong(3)));
                    total += rs.getLong(3);
                }
            }
        }
        return new LoadSummary(execution, files, steps, reasons, total, wallMillis, peakHeapBytes);
    }

    public BatchStatus status() {
        return execution.getStatus();
    }

    public FileResult file(SourceFile file) {
        return files.get(file);
    }

    public long totalRejects() {
        return totalRejects;
    }

    public long peakHeapBytes() {
        return peakHeapBytes;
    }

    public String format() {
        StringBuilder b = new StringBuilder();
        long instance = execution.getJobInstance().getInstanceId();
        b.append(String.format("%nLoad %s: %s (job instance %d, execution %d), this run %s%n",
                execution.getJobParameters().getString("dir"), execution.getStatus(), instance, execution.getId(),
                seconds(wallMillis)));
        StepExecution prepare = steps.get("prepare");
        if (prepare != null && prepare.getExecutionContext().containsKey("mode")) {
            b.append("mode: ").append(prepare.getExecutionContext().getString("mode")).append('\n');
        }
        b.append(String.format("%-27s %12s %12s %10s %12s %10s %10s %11s%n", "file", "read", "inserted", "updated",
                "unchanged", "rejected", "time", "rows/s"));
        long read = 0;
        long millis = 0;
        for (Map.Entry<SourceFile, FileResult> e : files.entrySet()) {
            FileResult r = e.getValue();
            LoadCounts c = r.counts();
            read += r.read();
            millis += c.millis();
            b.append(String.format("%-27s %,12d %,12d %,10d %,12d %,10d %10s %,11.0f%n", e.getKey().fileName(),
                    r.read(), c.inserted(), c.updated(), c.unchanged(), c.rejected(), seconds(c.millis()),
                    r.rowsPerSecond()));
        }
        b.append(String.format("%-27s %,12d %59s %10s %,11.0f%n", "all files", read, "", seconds(millis),
                millis == 0 ? 0 : read * 1000.0 / millis));
        for (String name : List.of("refresh-aggregates", "restore-constraints", "publish")) {
            StepExecution step = steps.get(name);
            if (step != null && step.getStartTime() != null && step.getEndTime() != null) {
                String detail = step.getExecutionContext().containsKey("aggregates")
                        ? " (" + step.getExecutionContext().getString("aggregates") + ")"
                        : step.getExecutionContext().containsKey("restored")
                        ? " (" + step.getExecutionContext().getInt("restored") + " keys, indexes and foreign keys)"
                        : "";
                b.append(String.format("%-27s %s %s%s%n", name, step.getStatus(),
                        seconds(Duration.between(step.getStartTime(), step.getEndTime()).toMillis()), detail));
            }
        }
        if (totalRejects > 0) {
            b.append(String.format("rejected rows: %,d (SELECT file, line, reason, raw FROM etl_rejects "
                    + "WHERE job_instance_id = %d ORDER BY file, line)%n", totalRejects, instance));
            rejectsByReason.forEach(line -> b.append(line).append('\n'));
        }
        b.append(String.format("peak heap used: %d MiB (max heap %d MiB)%n", peakHeapBytes >> 20,
                Runtime.getRuntime().maxMemory() >> 20));
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            for (Throwable t : execution.getAllFailureExceptions()) {
                b.append("failure: ").append(t).append('\n');
                if (t.getCause() != null) {
                    b.append("  caused by: ").append(t.getCause()).append('\n');
                }
            }
            b.append("Run the same command again to resume from the last committed chunk.\n");
        }
        return b.toString();
    }

    private static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }
}
