package com.atelier.reviews.server.core;

import com.atelier.reviews.server.db.IdempotencyDao;
import com.atelier.reviews.server.db.IdempotencyDao.StoredKey;
import io.dropwizard.lifecycle.Managed;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Claims, replays and prunes Idempotency-Keys (Stripe's semantics). A write claims its key inside its own
 * transaction, before writing, and stores its answer before committing; so a key is stored exactly when its write
 * committed, and a failed write leaves the key free for the retry. Only successes are ever stored.
 */
public final class IdempotencyKeys implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyKeys.class);
    private static final int PRUNE_BATCH = 10_000; // short transactions, even after a day of heavy writes

    private final Jdbi jdbi;
    private final double retentionSeconds;
    private final Duration pruneInterval;
    private ScheduledExecutorService pruner;

    public IdempotencyKeys(Jdbi jdbi, Duration retention, Duration pruneInterval) {
        this.jdbi = jdbi;
        this.retentionSeconds = retention.toMillis() / 1000.0;
        this.pruneInterval = pruneInterval;
    }

    /**
     * In the write's transaction (READ COMMITTED), before it writes: empty when the key is now claimed by this
     * transaction (go on and write), the stored answer, marked replayed, when the key was used for the same request.
     * 422 when it was used for another request. A concurrent claim of the same key makes this wait for its commit.
     */
    Optional<WriteOutcome> claim(Handle handle, IdempotentRequest request) {
        IdempotencyDao dao = handle.attach(IdempotencyDao.class);
        if (dao.claim(request.key(), request.requestHash(), retentionSeconds) == 1) {
            return Optional.empty();
        }
        StoredKey stored = dao.find(request.key()).orElseThrow(() ->
                new IllegalStateException("idempotency key neither claimable nor stored")); // pruning skips live keys
        if (!MessageDigest.isEqual(stored.requestHash(), request.requestHash())) {
            throw IdempotentRequest.reusedForAnotherRequest();
        }
        return Optional.of(new WriteOutcome(stored.responseStatus(), stored.responseBody(),
                stored.responseLocation(), stored.reviewId(), true));
    }

    /** In the write's transaction, after it wrote: the answer retries will get. */
    void record(Handle handle, IdempotentRequest request, WriteOutcome outcome) {
        handle.attach(IdempotencyDao.class).recordAnswer(request.key(), outcome.status(), outcome.body(),
                outcome.location(), outcome.reviewId());
    }

    /** Deletes the expired keys, in batches; the number deleted. */
    public int pruneExpired() {
        int total = 0;
        int deleted;
        do {
            deleted = jdbi.withExtension(IdempotencyDao.class, dao -> dao.pruneExpired(retentionSeconds, PRUNE_BATCH));
            total += deleted;
        } while (deleted == PRUNE_BATCH);
        return total;
    }

    @Override
    public void start() {
        pruner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "idempotency-key-pruner");
            t.setDaemon(true);
            return t;
        });
        long every = pruneInterval.toMillis();
        pruner.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void pruneQuietly() {
        try {
            int deleted = pruneExpired();
            if (deleted > 0) {
                LOG.info("deleted {} expired idempotency keys", deleted);
            }
        } catch (RuntimeException e) { // the database may be down: try again next time
            LOG.warn("could not delete expired idempotency keys: {}", e.getMessage());
        }
    }

    @Override
    public void stop() throws InterruptedException {
        pruner.shutdownNow();
        pruner.awaitTermination(5, TimeUnit.SECONDS);
    }
}
