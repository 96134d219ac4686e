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
    void aWriterAnswersOneLeaseAfterItsCommit() {
        long committed = System.nanoTime();
        lease.awaitWriteVisible(committed);
        assertThat(System.nanoTime() - committed).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }
}
