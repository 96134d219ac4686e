package com.atelier.reviews.server.cache;

import com.codahale.metrics.MetricRegistry;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache seam alone (a real Ehcache, no database): the load/invalidate race and the lease gate. */
class ProductCacheTest {

    private CacheManager manager;
    private CacheLease lease;
    private ProductCache<String> cache;
    private final AtomicInteger loads = new AtomicInteger();

    @BeforeEach
    void create() {
        manager = CacheManagerBuilder.newCacheManagerBuilder()
                .withCache("t", CacheConfigurationBuilder.newCacheConfigurationBuilder(Integer.class, String.class,
                        ResourcePoolsBuilder.heap(100)))
                .build(true);
        lease = new CacheLease(Duration.ofSeconds(30));
        lease.renew(System.nanoTime());
        cache = new ProductCache<>(manager.getCache("t", Integer.class, String.class), true, lease,
                TimeUnit.MILLISECONDS.toNanos(5), new MetricRegistry(), "t");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private String load(int product) {
        return "v" + loads.incrementAndGet();
    }

    @Test
    void aSecondReadIsAHit() {
        assertThat(cache.get(1, this::load)).isEqualTo("v1");
        assertThat(cache.get(1, this::load)).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void anInvalidationThatArrivesWhileTheReloadRunsKeepsTheReloadOutOfTheCache() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch invalidated = new CountDownLatch(1);
        CompletableFuture<String> slowRead = CompletableFuture.supplyAsync(() -> cache.get(7, product -> {
            loading.countDown();
            await(invalidated); // the rows were read before the write committed
            return "old";
        }));
        assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
        cache.invalidate(7); // the write's change, applied while the load is still running
        invalidated.countDown();
        assertThat(slowRead.get(5, TimeUnit.SECONDS)).isEqualTo("old");

        assertThat(cache.get(7, this::load)).as("the next read loads again").isEqualTo("v1");
        assertThat(cache.get(7, this::load)).isEqualTo("v1");
    }

    @Test
    void everythingChangedClearsEveryProduct() {
        cache.get(1, this::load);
        cache.get(2, this::load);
        cache.invalidateAll();
        assertThat(cache.get(1, this::load)).isEqualTo("v3");
        assertThat(cache.get(2, this::load)).isEqualTo("v4");
    }

    @Test
    void withoutTheLeaseEveryReadGoesToTheDatabaseAndNothingIsServedFromMemory() {
        cache.get(1, this::load);
        lease.revoke();
        assertThat(cache.get(1, this::load)).isEqualTo("v2");
        assertThat(cache.get(1, this::load)).isEqualTo("v3");
        lease.renew(System.nanoTime());
        assertThat(cache.get(1, this::load)).as("the entry cached before is still exact: the feed applied every change")
                .isEqualTo("v1");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
