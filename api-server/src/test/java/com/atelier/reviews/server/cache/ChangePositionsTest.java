package com.atelier.reviews.server.cache;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ChangePositionsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aProductNeedsItsOwnLastChangeAndNeverLessThanAnInvalidateAll() {
        ChangePositions positions = new ChangePositions();
        positions.changedAll(100);
        positions.changed(7, 500);
        positions.changed(7, 300); // out of order: the higher position stays
        assertThat(positions.required(7)).isEqualTo(500);
        assertThat(positions.required(8)).isGreaterThanOrEqualTo(100);
        positions.changedAll(900);
        assertThat(positions.required(7)).isEqualTo(900);
    }

    @Test
    void everyProductOfAStripeNeedsTheStripesHighestPosition() {
        ChangePositions positions = new ChangePositions();
        positions.changed(1, 1_000);
        long raised = 0;
        for (int product = 2; product < 100_000; product++) {
            if (positions.required(product) == 1_000) {
                raised++;
            }
        }
        // a shared stripe asks a little too much, never too little; few products share product 1's stripe
        assertThat(raised).isBetween(1L, 100L);
    }

    @Test
    void lagIsHowLongAgoThePrimaryFirstWrotePastTheReplayPosition() {
        ChangePositions positions = new ChangePositions();
        long t0 = 1_000_000 * MS;
        positions.primaryAt(t0, 100);
        positions.primaryAt(t0 + 10 * MS, 200);
        positions.primaryAt(t0 + 20 * MS, 300);
        long now = t0 + 30 * MS;
        assertThat(positions.lagNanos(300, now)).isZero();
        assertThat(positions.lagNanos(250, now)).isEqualTo(10 * MS); // lacks what was written from t0 + 20 ms
        assertThat(positions.lagNanos(150, now)).isEqualTo(20 * MS);
        assertThat(positions.lagNanos(50, now)).isEqualTo(30 * MS);
        assertThat(positions.latest()).isEqualTo(300);
    }

    @Test
    void samplesCloserThanTheSpacingAreNotKeptButTheLatestPositionIs() {
        ChangePositions positions = new ChangePositions();
        long t0 = 1_000_000 * MS;
        positions.primaryAt(t0, 100);
        positions.primaryAt(t0 + MS, 200); // within 5 ms: not a sample
        assertThat(positions.latest()).isEqualTo(200);
        assertThat(positions.lagNanos(150, t0 + 2 * MS)).isZero(); // behind only the unsampled newest position
    }
}
