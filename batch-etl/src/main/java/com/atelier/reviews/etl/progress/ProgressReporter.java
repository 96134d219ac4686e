package com.atelier.reviews.etl.progress;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints the progress of the file being loaded every few seconds while a load runs, and samples the heap in use
 * every second (the figure the summary reports as peak heap).
 */
public final class ProgressReporter implements AutoCloseable {

    private final ScheduledExecutorService timer;
    private volatile long peakHeapBytes;

    public ProgressReporter(Collection<FileProgress> files, PrintStream out, long intervalSeconds) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etl-progress");
            t.setDaemon(true);
            return t;
        });
        if (intervalSeconds > 0) {
            timer.scheduleAtFixedRate(() -> files.stream().filter(FileProgress::active)
                    .forEach(f -> out.println("[progress] " + f.describe())), intervalSeconds, intervalSeconds,
                    TimeUnit.SECONDS);
        }
        timer.scheduleAtFixedRate(this::sampleHeap, 0, 1, TimeUnit.SECONDS);
    }

    private void sampleHeap() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        if (used > peakHeapBytes) {
            peakHeapBytes = used;
        }
    }

    /** The most heap in use seen (garbage not yet collected included). */
    public long peakHeapBytes() {
        sampleHeap();
        return peakHeapBytes;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
