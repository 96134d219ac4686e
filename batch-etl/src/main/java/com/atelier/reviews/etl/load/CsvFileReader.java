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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a CSV file record by record for a chunk-oriented step, restartably: on every commit it saves, in the step's
 * ExecutionContext, the byte offset and line just after the last record handed out (that is, after the last record
 * of the committed chunk), and a restart seeks there.
 *
 * <p>Parsing runs one batch ahead on its own thread, so it overlaps with the COPY of the previous chunk; the saved
 * offset is always that of the records actually handed to the step, never of those parsed ahead.
 */
public final class CsvFileReader implements ItemStreamReader<CsvRecord> {

    public static final String OFFSET = "csv.offset";
    public static final String LINE = "csv.line";
    public static final String RECORDS = "csv.records";

    private static final int BATCH = 1024;
    private static final List<CsvRecord> END = Collections.emptyList();

    private final SourceFile source;
    private final Path file;
    private final FileProgress progress;

    private BlockingQueue<Object> queue;
    private Thread parserThread;
    private volatile boolean closing;
    private List<CsvRecord> batch = List.of();
    private int next;
    private boolean ended;

    private long offset;
    private long line;
    private long records;

    public CsvFileReader(SourceFile source, Path file, FileProgress progress) {
        this.source = source;
        this.file = file;
        this.progress = progress;
    }

    @Override
    public void open(ExecutionContext context) {
        long dataStart = checkHeader();
        offset = context.getLong(OFFSET, dataStart);
        line = context.getLong(LINE, 2);
        records = context.getLong(RECORDS, 0);
        progress.started(offset, records);
        queue = new ArrayBlockingQueue<>(8);
        closing = false;
        ended = false;
        batch = List.of();
        next = 0;
        long from = offset;
        long fromLine = line;
        parserThread = new Thread(() -> parse(from, fromLine), "csv-" + source.table());
        parserThread.setDaemon(true);
        parserThread.start();
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

    private void parse(long from, long fromLine) {
        try (CsvParser parser = new CsvParser(file, from, fromLine)) {
            List<CsvRecord> records = new ArrayList<>(BATCH);
            CsvRecord record;
            while (!closing && (record = parser.next()) != null) {
                records.add(record);
                if (records.size() == BATCH) {
                    queue.put(records);
                    records = new ArrayList<>(BATCH);
                }
            }
            if (!records.isEmpty()) {
                queue.put(records);
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
    @SuppressWarnings("unchecked")
    public CsvRecord read() throws Exception {
        if (next == batch.size()) {
            if (ended) {
                return null;
            }
            Object item = queue.take();
            if (item instanceof Exception e) {
                throw new ItemStreamException("cannot read " + file, e);
            }
            batch = (List<CsvRecord>) item;
            next = 0;
            if (batch == END) {
                ended = true;
                return null;
            }
        }
        CsvRecord record = batch.get(next++);
        offset = record.endOffset();
        line = record.nextLine();
        records++;
        progress.advanced(offset, records);
        return record;
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
        if (parserThread != null) {
            parserThread.interrupt();
            try {
                parserThread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            parserThread = null;
        }
    }
}
