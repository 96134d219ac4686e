package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.copy.BinaryCopy;
import com.atelier.reviews.etl.copy.CopyTuple;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.item.Chunk;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStream;
import org.springframework.batch.item.ItemWriter;
import org.springframework.jdbc.datasource.DataSourceUtils;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a chunk in the chunk's own transaction (the one Spring Batch commits together with the reader's offset):
 * the valid rows through binary COPY, the rejects into {@code etl_rejects}. So after a crash the table, the rejects
 * and the saved offset all end at the same chunk.
 *
 * <p>Two ways to the target table, chosen per run of the step: while a bulk load has the table's keys and indexes
 * dropped (a first load into empty tables), rows are COPYed straight into it (the aggregates are counted in memory,
 * {@link BulkAggregates}); otherwise they are COPYed into a temporary staging table and upserted, counting inserted,
 * updated and unchanged rows, and the upsert records what changed for the aggregates ({@link UpsertSql}).
 */
public final class CopyChunkWriter implements ItemWriter<RecordBlock>, ItemStream, StepExecutionListener {

    private static final int MAX_RAW_CHARS = 10_000;
    private static final List<String> REJECT_COLUMNS = List.of("job_instance_id", "file", "line", "raw", "reason");

    private final SourceFile source;
    private final DataSource dataSource;
    private final CopyTuple rejectTuple = new CopyTuple();

    private long jobInstanceId;
    private boolean bulk;
    private boolean skipForeignKeyChecks;
    private LoadCounts counts = new LoadCounts();
    private long millisBefore;
    private long openedNanos;

    public CopyChunkWriter(SourceFile source, DataSource dataSource) {
        this.source = source;
        this.dataSource = dataSource;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        jobInstanceId = stepExecution.getJobExecution().getJobInstance().getInstanceId();
        try (Connection c = dataSource.getConnection()) {
            bulk = ConstraintStash.isStashed(c, source.table());
            skipForeignKeyChecks = bulk && ConstraintStash.foreignKeysKept(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read etl_saved_constraints", e);
        }
        stepExecution.getExecutionContext().putString("load.mode", bulk ? "bulk" : "upsert");
    }

    /** True when rows go straight into the table (a bulk load). */
    public boolean bulk() {
        return bulk;
    }

    @Override
    public void open(ExecutionContext context) {
        counts = LoadCounts.from(context);
        millisBefore = counts.millis;
        openedNanos = System.nanoTime();
    }

    @Override
    public void write(Chunk<? extends RecordBlock> chunk) throws SQLException {
        long rows = 0;
        List<RecordBlock.Reject> rejects = new ArrayList<>();
        for (RecordBlock block : chunk) {
            rows += block.rowCount();
            rejects.addAll(block.rejects());
        }
        Connection c = DataSourceUtils.getConnection(dataSource); // bound to the chunk's transaction
        if (rows > 0) {
            if (bulk) {
                if (skipForeignKeyChecks) {
                    ConstraintStash.skipForeignKeyChecks(c); // references were checked by the validator
                }
                counts.inserted += copy(c, source.table(), source.columns(), chunk);
            } else {
                upsert(c, chunk, rows);
            }
        }
        if (!rejects.isEmpty()) {
            writeRejects(c, rejects);
            counts.rejected += rejects.size();
        }
    }

    private static long copy(Connection c, String table, List<String> columns, Chunk<? extends RecordBlock> chunk)
            throws SQLException {
        try (BinaryCopy copy = BinaryCopy.into(c, table, columns)) {
            for (RecordBlock block : chunk) {
                copy.write(block.rowData(), 0, block.rowBytes());
            }
            return copy.finish();
        }
    }

    private void upsert(Connection c, Chunk<? extends RecordBlock> chunk, long rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(UpsertSql.createStage(source));
        }
        copy(c, UpsertSql.stageTable(source), source.columns(), chunk);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(UpsertSql.merge(source))) {
            rs.next();
            long inserted = rs.getLong(1);
            long updated = rs.getLong(2);
            counts.inserted += inserted;
            counts.updated += updated;
            counts.unchanged += rows - inserted - updated;
        }
    }

    private void writeRejects(Connection c, List<RecordBlock.Reject> rejects) throws SQLException {
        try (BinaryCopy copy = BinaryCopy.into(c, "etl_rejects", REJECT_COLUMNS)) {
            for (RecordBlock.Reject r : rejects) {
                copy.write(rejectTuple.begin(REJECT_COLUMNS.size()).int8(jobInstanceId).text(source.fileName())
                        .int8(r.line()).text(printable(r.raw())).text(r.reason()).toBytes());
            }
            copy.finish();
        }
    }

    /** The raw record as storable text: bad UTF-8 and NUL become U+FFFD, very long records are cut. */
    static String printable(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
        return text.length() > MAX_RAW_CHARS ? text.substring(0, MAX_RAW_CHARS) + "... (cut)" : text;
    }

    @Override
    public void update(ExecutionContext context) {
        counts.millis = millisBefore + (System.nanoTime() - openedNanos) / 1_000_000;
        counts.saveTo(context);
    }
}
