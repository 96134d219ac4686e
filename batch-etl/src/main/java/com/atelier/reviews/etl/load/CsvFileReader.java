package com.atelier.reviews.etl.load;

import com.atelier.reviews.etl.csv.CsvParser;
import com.atelier.reviews.etl.csv.CsvRecord;
import com.atelier.reviews.etl.progress.FileProgress;
import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemStreamException;
import org.springframework.batch.item.ItemStreamReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a CSV file for a chunk-oriented step, restartably, as blocks of records ({@link RecordBlock}): on every commit
 * it saves, in the step's ExecutionContext, the byte offset and line just after the last block handed out (the last
 * record of the committed chunk), and a restart seeks there instead of parsing the file again.
 *
 * <p>Parsing and validation ({@link RowValidator}, the item processing) run ahead on their own thread, in file order,
 * so on two cores they overlap with the COPY of the previous chunk by the database. The saved offset is always that
 * of the items handed to the step, never of those prepared ahead; after a failure the step restarts from the last
 * commit and the validator first replays the committed part to remember the ids it accepted.
 */
public final class CsvFileReader implements ItemStreamReader<RecordBlock> {

    public static final String OFFSET = "csv.offset";
    public static final String LINE = "csv.line";
    public static final String RECORDS = "csv.records";

    /** Most records in a block (see {@link #blockRecords}). */
    private static final int MAX_BLOCK_RECORDS = 2048;
    private static final RecordBlock END = new RecordBlock(0);

    private final SourceFile source;
    private final Path file;
    private final RowValidator validator;
    private final FileProgress progress;
    private final int blockRecords;

    private BlockingQueue<Object> queue;
    private Thread worker;
    private volatile boolean closing;
    private boolean ended;

    private long offset;
    private long line;
    private long records;

    /** Reads blocks of {@code blockRecords} records (the last one may be shorter). */
    public CsvFileReader(SourceFile source, Path file, RowValidator validator, FileProgress progress,
                         int blockRecords) {
        this.source = source;
        this.file = file;
        this.validator = validator;
        this.progress = progress;
        this.blockRecords = blockRecords;
    }

    /**
     * The records per block for a chunk of {@code chunkRecords}: the largest divisor of it up to 2048, so a chunk is
     * exactly a whole number of blocks (and still {@code chunkRecords} records).
     */
    public static int blockRecords(int chunkRecords) {
        for (int n = Math.min(MAX_BLOCK_RECORDS, chunkRecords); n > 1; n--) {
            if (chunkRecords % n == 0) {
                return n;
            }
        }
        return 1;
    }

    @Override
    public void open(ExecutionContext context) {
        long dataStart = checkHeader();
        offset = context.getLong(OFFSET, dataStart);
        line = context.getLong(LINE, 2);
        records = context.getLong(RECORDS, 0);
        if (context.containsKey(OFFSET)) {
            validator.replay(offset);
        }
        progress.started(offset, records);
        queue = new ArrayBlockingQueue<>(8);
        closing = false;
        ended = false;
        long from = offset;
        long fromLine = line;
        worker = new Thread(() -> parseAndValidate(from, fromLine), "csv-" + source.table());
        worker.setDaemon(true);
        worker.start();
    }

    /** The first line must be the file's header, exactly (a UTF-8 BOM and a CR are tolerated). */
    private long checkHeader() {
        if (!Files.isRegularFile(file)) {
            throw new ItemStreamException("missing file " + file);
        }
        try (CsvParser parser = new CsvParser(file, 0, 1)) {
            CsvRecord header = parser.next();
            String text = header == null ? "" : new String(header.rawBytes(), StandardCharsets.UTF_8);
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (!text.strip().equals(source.header())) {
                throw new ItemStreamException(file + ": the first line should be the header \"" + source.header()
                        + "\" but is \"" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + "\"");
            }
            return header.endOffset();
        } catch (IOException e) {
            throw new ItemStreamException("cannot read " + file, e);
        }
    }

    private void parseAndValidate(long from, long fromLine) {
        try (CsvParser parser = new CsvParser(file, from, fromLine)) {
            RecordBlock block = new RecordBlock(64 * 1024);
            CsvRecord record;
            while (!closing && (record = parser.next()) != null) {
                validator.validate(record, block);
                block.recordEnds(record.endOffset(), record.nextLine());
                if (block.records() == blockRecords) {
                    queue.put(block);
                    block = new RecordBlock(block.rowBytes() + block.rowBytes() / 8); // about the size it needed
                }
            }
            if (block.records() > 0) {
                queue.put(block);
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            try {
                queue.put(e);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public RecordBlock read() throws Exception {
        if (ended) {
            return null;
        }
        Object taken = queue.take();
        if (taken instanceof Exception e) {
            throw new ItemStreamException("cannot read " + file, e);
        }
        RecordBlock block = (RecordBlock) taken;
        if (block == END) {
            ended = true;
            return null;
        }
        offset = block.endOffset();
        line = block.nextLine();
        records += block.records();
        progress.advanced(offset, records);
        return block;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(OFFSET, offset);
        context.putLong(LINE, line);
        context.putLong(RECORDS, records);
    }

    @Override
    public void close() {
        progress.finished();
        closing = true;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }
}
