package com.atelier.reviews.server.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Whether the JIT has caught up with what the warm-up exercises: its compiler threads spent less than
 * {@value #SETTLED_PERCENT}% of the last window compiling. A node let into rotation earlier serves at a fraction of its
 * speed for minutes: under full load the C2 thread gets a small share of the cores and its queue stays long
 * (docs/PERFORMANCE.md).
 */
final class JitActivity {

    static final long WINDOW_NANOS = 2_000_000_000L;
    static final int SETTLED_PERCENT = 5;

    private final LongSupplier compileMillis;
    private final LongSupplier nanoClock;
    private long windowStart;
    private long compiledAtWindowStart;
    private boolean settled;

    JitActivity(LongSupplier compileMillis, LongSupplier nanoClock) {
        this.compileMillis = compileMillis;
        this.nanoClock = nanoClock;
        this.windowStart = nanoClock.getAsLong();
        this.compiledAtWindowStart = compileMillis.getAsLong();
    }

    /** The running JVM's JIT; one that does not report compilation time counts as settled. */
    static JitActivity ofThisJvm() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return new JitActivity(() -> 0, System::nanoTime);
        }
        return new JitActivity(jit::getTotalCompilationTime, System::nanoTime);
    }

    /** As of the last full window; false until one has passed. */
    synchronized boolean settled() {
        long now = nanoClock.getAsLong();
        long elapsed = now - windowStart;
        if (elapsed >= WINDOW_NANOS) {
            long compiled = compileMillis.getAsLong();
            settled = (compiled - compiledAtWindowStart) * 1_000_000L * 100 < elapsed * SETTLED_PERCENT;
            windowStart = now;
            compiledAtWindowStart = compiled;
        }
        return settled;
    }
}
