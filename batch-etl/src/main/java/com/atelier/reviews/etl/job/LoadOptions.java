package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.load.SourceFile;
import org.springframework.batch.core.StepListener;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** How a load runs: chunk sizes, where progress and the summary go, and extra step listeners (tests use them). */
public final class LoadOptions {

    private final Map<SourceFile, Integer> chunkSizes = new EnumMap<>(SourceFile.class);
    private final Map<SourceFile, List<StepListener>> listeners = new EnumMap<>(SourceFile.class);
    private PrintStream out = System.out;
    private long progressSeconds = 5;
    private boolean skipForeignKeyChecksIfAllowed = true;

    public static LoadOptions defaults() {
        return new LoadOptions();
    }

    public LoadOptions chunkSize(SourceFile file, int rows) {
        chunkSizes.put(file, rows);
        return this;
    }

    /** The same chunk size for every file. */
    public LoadOptions chunkSize(int rows) {
        for (SourceFile f : SourceFile.values()) {
            chunkSizes.put(f, rows);
        }
        return this;
    }

    /** Adds a listener (ItemWriteListener, ChunkListener, StepExecutionListener...) to the step of {@code file}. */
    public LoadOptions listener(SourceFile file, StepListener listener) {
        listeners.computeIfAbsent(file, f -> new ArrayList<>()).add(listener);
        return this;
    }

    public LoadOptions out(PrintStream out) {
        this.out = out;
        return this;
    }

    /** 0 turns the progress lines off. */
    public LoadOptions progressSeconds(long seconds) {
        this.progressSeconds = seconds;
        return this;
    }

    /**
     * With false, a bulk load drops and re-adds (re-checks) the foreign keys even when it could keep them and switch
     * their triggers off for its own transactions.
     */
    public LoadOptions skipForeignKeyChecksIfAllowed(boolean skip) {
        this.skipForeignKeyChecksIfAllowed = skip;
        return this;
    }

    boolean skipForeignKeyChecksIfAllowed() {
        return skipForeignKeyChecksIfAllowed;
    }

    int chunkSize(SourceFile file) {
        return chunkSizes.getOrDefault(file, file.defaultChunkSize());
    }

    List<StepListener> listeners(SourceFile file) {
        return listeners.getOrDefault(file, List.of());
    }

    PrintStream out() {
        return out;
    }

    long progressSeconds() {
        return progressSeconds;
    }
}
