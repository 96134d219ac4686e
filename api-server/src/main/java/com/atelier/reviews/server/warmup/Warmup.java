package com.atelier.reviews.server.warmup;

import com.atelier.reviews.server.cache.ReviewCaches;
import com.atelier.reviews.server.db.ReviewReadDao;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.PortDescriptor;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import org.eclipse.jetty.server.Server;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Once the server has started, sends it at least {@code warmup.requests} reads through its own application port (the
 * whole stack: Jetty, filters, Jersey, caches, database), over the sorts and counts front ends ask, half of them to a
 * few hot products (cache hits) and half spread over many (misses), and goes on until the JIT has caught up
 * ({@link JitActivity}) or {@code warmup.maxDuration} has passed, so the hot paths are compiled before real traffic
 * arrives. Until then the critical {@code warmup} health check is unhealthy, so NGINX (passive checks through the
 * out-of-rotation answers) and the launcher's readiness wait keep the node out. Afterwards the caches are emptied: they hold only
 * real traffic. A failed warm-up is logged and still ends it: a cold node is better than none.
 */
public final class Warmup implements ServerLifecycleListener {

    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);
    /** The hot products (hits after their first read), and how many products the misses are spread over. */
    private static final int HOT_PRODUCTS = 1_000;
    private static final int PRODUCTS = 50_000;
    private static final String[] SORTS = {null, "newest", "helpful", "relevant"};
    private static final int[] COUNTS = {0, 5, 10, 20, 2}; // 0: the parameter left out (the default count)
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final WarmupConfiguration config;
    private final WarmupPass pass;
    private final Jdbi jdbi;
    private final ReviewCaches caches;
    private final Meter sent;
    private final Meter failed;
    private final AtomicInteger answered = new AtomicInteger();
    private final JitActivity jit = JitActivity.ofThisJvm();
    private volatile boolean done;
    private volatile String outcome = "not started";

    public Warmup(WarmupConfiguration config, WarmupPass pass, Jdbi jdbi, ReviewCaches caches,
                  MetricRegistry metrics) {
        this.config = config;
        this.pass = pass;
        this.jdbi = jdbi;
        this.caches = caches;
        this.sent = metrics.meter(MetricRegistry.name("warmup", "requests"));
        this.failed = metrics.meter(MetricRegistry.name("warmup", "failures"));
        this.done = !config.isEnabled();
        if (done) {
            outcome = "off (warmup.requests is 0)";
        }
    }

    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                return done ? Result.healthy(outcome)
                        : Result.unhealthy("warming up: " + answered.get() + " requests answered (at least "
                        + config.getRequests() + ", then until the JIT has caught up, at most "
                        + config.getMaxDuration() + ")");
            }
        };
    }

    @Override
    public void serverStarted(Server server) {
        if (done) {
            return;
        }
        URI base = applicationUri(server);
        Thread thread = new Thread(() -> run(base), "warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private URI applicationUri(Server server) {
        for (PortDescriptor port : getPortDescriptorList(server)) {
            if ("application".equals(port.getConnectorType())) {
                String host = port.getHost();
                // A wildcard bind is reachable on loopback; a specific address only on itself.
                if (host == null || host.isEmpty() || "0.0.0.0".equals(host) || "::".equals(host)) {
                    host = "127.0.0.1";
                } else if (host.contains(":")) {
                    host = "[" + host + "]";
                }
                // Plain HTTP: the node's connector (TLS, when any, ends at NGINX).
                return URI.create("http://" + host + ":" + port.getPort());
            }
        }
        return URI.create("http://127.0.0.1:" + getLocalPort(server));
    }

    private void run(URI base) {
        long start = System.nanoTime();
        try {
            List<Integer> products = jdbi.withHandle(handle -> new ReviewReadDao(handle).productsWithReviews(PRODUCTS));
            if (products.isEmpty()) {
                products = List.of(1); // an empty database: the empty answers still run the code
            }
            long deadline = start + config.getMaxDuration().toNanoseconds();
            send(base, products, deadline);
            outcome = "warmed up: " + answered.get() + " requests in " + (System.nanoTime() - start) / 1_000_000
                    + " ms, " + failed.getCount() + " not answered 200"
                    + (jit.settled() ? "" : "; the JIT was still compiling at warmup.maxDuration");
        } catch (RuntimeException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("warm-up failed; the node serves cold", e);
            outcome = "warm-up failed (" + e + "); serving cold";
        } finally {
            pass.close();
            caches.dropAll(); // what the warm-up loaded is not what real traffic asks
            done = true;
            LOG.info("{}", outcome);
        }
    }

    private void send(URI base, List<Integer> products, long deadline) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT).build();
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < config.getConcurrency(); w++) {
            Thread worker = new Thread(() -> {
                for (int i = next.getAndIncrement(); !finished(i, deadline); i = next.getAndIncrement()) {
                    sendOne(client, base.resolve(path(i, products)));
                }
            }, "warmup-" + w);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private boolean finished(int sent, long deadline) {
        return sent >= config.getRequests() && (jit.settled() || System.nanoTime() - deadline >= 0);
    }

    private void sendOne(HttpClient client, URI uri) {
        sent.mark();
        try {
            HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header(WarmupPass.HEADER, pass.value()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                if (failed.getCount() == 0) {
                    LOG.warn("warm-up request {} answered {}", uri, answer.statusCode());
                }
                failed.mark();
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (failed.getCount() == 0) {
                LOG.warn("warm-up request {} failed: {}", uri, e.toString());
            }
            failed.mark();
        } finally {
            answered.incrementAndGet();
        }
    }

    /**
     * Request {@code i}: one in four a meta, the others list pages in every sort, some counts and second pages. Runs of
     * 16 (every sort, lists and metas) alternate between the first {@value #HOT_PRODUCTS} products and all of them.
     */
    static String path(int i, List<Integer> products) {
        boolean hot = (i / (4 * SORTS.length)) % 2 == 0;
        int spread = hot ? Math.min(HOT_PRODUCTS, products.size()) : products.size();
        int product = products.get(Math.floorMod(i * 7919, spread));
        if (i % 4 == 3) {
            return "/reviews/meta?product_id=" + product;
        }
        StringBuilder path = new StringBuilder("/reviews?product_id=").append(product);
        String sort = SORTS[(i / 4) % SORTS.length];
        if (sort != null) {
            path.append("&sort=").append(sort);
        }
        int count = COUNTS[i % COUNTS.length];
        if (count != 0) {
            path.append("&count=").append(count);
        }
        if (i % 7 == 0) {
            path.append("&page=2");
        }
        return path.toString();
    }
}
