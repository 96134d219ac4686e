package com.atelier.reviews.server.auth;

import io.dropwizard.lifecycle.Managed;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The keys in use, held in memory so that checking one costs a hash and a map lookup, no database round trip.
 * Reloaded when the change feed sees a {@code KEYS_CHANGED} entry (a key was created, imported or revoked on any
 * node or by the {@code keys} commands), when the feed (re)connects, and every {@code refreshInterval} as a safety
 * net; a failed reload keeps the keys held until the next one. Last-used times are collected in memory and written
 * every {@code lastUsedFlushInterval}, one batch for all keys.
 */
public final class ApiKeys implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    private final Jdbi jdbi;
    private final Duration refreshInterval;
    private final Duration lastUsedFlushInterval;
    private final AtomicBoolean reloadPending = new AtomicBoolean();
    private final Map<ApiKey, Long> flushed = new HashMap<>(); // last-used times written, by the background thread
    /** By the first 8 bytes of the hash; the whole hash is then compared in constant time. */
    private volatile Map<Long, ApiKey> byHashPrefix = Map.of();
    private ScheduledExecutorService background;

    public ApiKeys(Jdbi jdbi, Duration refreshInterval, Duration lastUsedFlushInterval) {
        this.jdbi = jdbi;
        this.refreshInterval = refreshInterval;
        this.lastUsedFlushInterval = lastUsedFlushInterval;
    }

    /**
     * The key in use that {@code presented} is, if any. The map is looked up by the hash's first bytes (which tell
     * nothing about the key), and the stored hash compared with {@link MessageDigest#isEqual}, in constant time.
     */
    public Optional<ApiKey> find(String presented) {
        byte[] hash = KeyMaterial.hash(presented);
        ApiKey candidate = byHashPrefix.get(ByteBuffer.wrap(hash).getLong());
        if (candidate == null || !MessageDigest.isEqual(candidate.hash(), hash)) {
            return Optional.empty();
        }
        candidate.touch(System.currentTimeMillis());
        return Optional.of(candidate);
    }

    /** Asks for a reload on the background thread (the change feed's thread must not wait for the database). */
    public void reloadSoon() {
        if (reloadPending.compareAndSet(false, true) && background != null) {
            background.execute(this::reloadNow);
        }
    }

    /** Reads the keys in use and swaps them in; the last-used times seen so far carry over. */
    public void reloadNow() {
        reloadPending.set(false);
        try {
            List<ApiKeyDao.StoredKey> stored = jdbi.onDemand(ApiKeyDao.class).keysInUse();
            Map<Long, ApiKey> old = byHashPrefix;
            Map<Long, ApiKey> next = new HashMap<>();
            for (ApiKeyDao.StoredKey k : stored) {
                long prefix = ByteBuffer.wrap(k.keyHash()).getLong();
                ApiKey previous = old.get(prefix);
                ApiKey key = new ApiKey(k.name(), k.keyHash(), Scope.parseAll(k.scopes()));
                if (previous != null && MessageDigest.isEqual(previous.hash(), k.keyHash())) {
                    key.touch(previous.lastUsedMillis());
                }
                next.put(prefix, key);
            }
            byHashPrefix = Map.copyOf(next);
        } catch (RuntimeException e) {
            LOG.warn("could not reload the API keys, keeping the {} held: {}", byHashPrefix.size(), e.getMessage());
        }
    }

    /** How many keys this node holds (for the health check and tests). */
    public int size() {
        return byHashPrefix.size();
    }

    /** Writes the last-used times that moved since the previous flush, one batch. */
    void flushLastUsed() {
        Map<ApiKey, Long> moved = new HashMap<>();
        for (ApiKey key : byHashPrefix.values()) {
            long used = key.lastUsedMillis();
            if (used != 0 && used != flushed.getOrDefault(key, 0L)) {
                moved.put(key, used);
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        List<byte[]> hashes = new ArrayList<>();
        List<Instant> ats = new ArrayList<>();
        moved.forEach((key, used) -> {
            hashes.add(key.hash());
            ats.add(Instant.ofEpochMilli(used));
        });
        try {
            jdbi.onDemand(ApiKeyDao.class).recordLastUsed(hashes, ats);
            flushed.keySet().retainAll(byHashPrefix.values());
            flushed.putAll(moved);
        } catch (RuntimeException e) {
            LOG.warn("could not record when the API keys were last used (tried again later): {}", e.getMessage());
        }
    }

    @Override
    public void start() {
        reloadNow();
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reviews-api-keys");
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(this::reloadSoon, refreshInterval.toMillis(), refreshInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(this::flushLastUsed, lastUsedFlushInterval.toMillis(),
                lastUsedFlushInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        background.shutdown();
        background.awaitTermination(5, TimeUnit.SECONDS);
        flushLastUsed();
    }
}
