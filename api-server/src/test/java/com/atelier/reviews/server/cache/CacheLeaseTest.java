package com.atelier.reviews.server.cache;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CacheLeaseTest {

    private final CacheLease lease = new CacheLease(Duration.ofMillis(50));

    @Test
    void notTrustedBeforeTheFirstPoll() {
        assertThat(lease.trusted()).isFalse();
    }

    @Test
    void trustedForOneLeaseAfterThePollStarted() throws Exception {
        long pollStart = System.nanoTime();
        lease.renew(pollStart);
        assertThat(lease.trusted()).isTrue();
        Thread.sleep(60);
        assertThat(lease.trusted()).as("the feed did not poll again within the lease").isFalse();
    }

    @Test
    void aRevokedLeaseIsNotTrustedEvenIfRecent() {
        lease.renew(System.nanoTime());
        lease.revoke();
        assertThat(lease.trusted()).isFalse();
    }

    @Test
    void aReaderWaitsForTheNextPollInsteadOfGivingUpAtOnce() throws Exception {
        lease.renew(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(100)); // a poll that is late
        assertThat(lease.trusted()).isFalse();
        CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return lease.awaitTrusted(TimeUnit.SECONDS.toNanos(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(20);
        assertThat(reader).isNotDone();
        lease.renew(System.nanoTime());
        assertThat(reader.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReaderDoesNotWaitForALeaseThatNoPollWillRenew() throws Exception {
        lease.renew(System.nanoTime());
        lease.revoke();
        long start = System.nanoTime();
        assertThat(lease.awaitTrusted(TimeUnit.SECONDS.toNanos(5))).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aWriterAnswersOneLeaseAfterItsCommit() {
        long committed = System.nanoTime();
        lease.awaitWriteVisible(committed);
        assertThat(System.nanoTime() - committed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aNodeIsAloneOnlyAfterAWholeProbationOfChecksThatSawNoOtherFeed() {
        long t0 = System.nanoTime() - TimeUnit.SECONDS.toNanos(5);
        assertThat(lease.alone(t0)).as("before any check").isFalse();
        long t = watch(t0, 0, false);
        assertThat(lease.alone(t)).as("no peer seen, but for less than the probation").isFalse();
        t = watch(t, CacheLease.PROBATION_NANOS, false);
        assertThat(lease.alone(t)).isTrue();
        assertThat(lease.alone(t + CacheLease.PROBATION_NANOS)).as("checks stopped long before the commit").isFalse();

        lease.peersChecked(t, true);
        assertThat(lease.alone(t)).as("a peer's feed showed up").isFalse();
        t = watch(t, CacheLease.PROBATION_NANOS, false);
        assertThat(lease.alone(t)).isTrue();

        lease.peersChecked(t + CacheLease.MAX_PEER_CHECK_GAP_NANOS + 1, false);
        assertThat(lease.alone(t + CacheLease.MAX_PEER_CHECK_GAP_NANOS + 1)).as("a gap in the checks starts over").isFalse();
    }

    @Test
    void aNodeWithoutPeersAnswersWritesAtOnce() {
        long now = System.nanoTime();
        watch(now - CacheLease.PROBATION_NANOS - TimeUnit.MILLISECONDS.toNanos(40), CacheLease.PROBATION_NANOS, false);
        long committed = System.nanoTime();
        lease.awaitWriteVisible(committed);
        assertThat(System.nanoTime() - committed).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aFeedWithinItsProbationDoesNotRenewTheLease() {
        long since = System.nanoTime();
        lease.renew(since + CacheLease.PROBATION_NANOS / 2, since);
        assertThat(lease.trusted()).isFalse();
    }

    /** Checks every 20 ms from {@code from} for {@code span}; the time of the last one. */
    private long watch(long from, long span, boolean othersFollowing) {
        long t = from;
        for (; t <= from + span; t += TimeUnit.MILLISECONDS.toNanos(20)) {
            lease.peersChecked(t, othersFollowing);
        }
        return t - TimeUnit.MILLISECONDS.toNanos(20);
    }
}
