package com.atelier.reviews.server.warmup;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class JitActivityTest {

    private final AtomicLong compiledMillis = new AtomicLong(10_000);
    private final AtomicLong now = new AtomicLong(0);
    private final JitActivity jit = new JitActivity(compiledMillis::get, now::get);

    @Test
    void notSettledBeforeAWholeWindowHasPassed() {
        now.addAndGet(JitActivity.WINDOW_NANOS - 1);
        assertThat(jit.settled()).isFalse();
    }

    @Test
    void settledOnlyWhenTheLastWindowWasQuiet() {
        // 2 s window: 5% is 100 ms of compilation.
        window(99);
        assertThat(jit.settled()).isTrue();
        window(150);
        assertThat(jit.settled()).isFalse();
        window(0);
        assertThat(jit.settled()).isTrue();
    }

    @Test
    void aBusyJitIsNeverSettled() {
        for (int i = 0; i < 5; i++) {
            window(1_500);
            assertThat(jit.settled()).isFalse();
        }
    }

    private void window(long compiledDuringIt) {
        compiledMillis.addAndGet(compiledDuringIt);
        now.addAndGet(JitActivity.WINDOW_NANOS);
    }
}
