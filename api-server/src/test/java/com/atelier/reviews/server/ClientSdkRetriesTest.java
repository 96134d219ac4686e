package com.atelier.reviews.server;

import com.atelier.reviews.client.ReviewsClient;
import com.atelier.reviews.client.ReviewsException;
import com.atelier.reviews.client.model.NewReview;
import com.atelier.reviews.db.EmbeddedDatabase;
import com.atelier.reviews.db.ScratchDatabase;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The SDK's retries: a write through a node whose PostgreSQL (this test's own) is stopped and restarted while the
 * client retries, an answer lost after the server committed, and the proxy's 429/502/504 with Retry-After. Each
 * logical write is stored exactly once, under one Idempotency-Key.
 */
class ClientSdkRetriesTest {

    @TempDir
    static Path temp;
    private static Path dataDir;
    private static int port;
    private static EmbeddedDatabase postgres;
    private static ScratchDatabase db;
    private static RunningApp app;

    @BeforeAll
    static void start() throws IOException {
        dataDir = temp.resolve("pgdata");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        postgres = startPostgres();
        db = ScratchDatabase.create("client_sdk_retries",
                postgres.adminSettings());
        RunningApp.runSqlResource(db, "/fixtures/atelier-sample.sql");
        app = RunningApp.start(db, ConfigOverride.config("cache.enabled", "false"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (app != null) {
            app.stop();
        }
        if (postgres != null) {
            db.close();
            postgres.close();
        }
    }

    /** Starts (or restarts, same port and data directory) the test's own PostgreSQL. */
    static EmbeddedDatabase startPostgres() {
        return EmbeddedDatabase.startPersistent(dataDir, port);
    }

    static NewReview review(String summary) {
        return new NewReview().productId(1).rating(4).summary(summary)
                .body("Sent while the database was away; the client retried with one key until it was back.")
                .recommend(true).name("retry").email("retry@example.com");
    }

    static List<Integer> storedIds(String summary) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("SELECT id FROM reviews WHERE summary = ? ORDER BY id")) {
            s.setString(1, summary);
            List<Integer> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            return ids;
        }
    }

    @Test
    void aWriteRetriedWhileTheDatabaseRestartsIsStoredOnce() throws Exception {
        String summary = "db restart " + UUID.randomUUID().toString().substring(0, 8);
        Duration outage = Duration.ofSeconds(3);
        int retryAfter = app.configuration().getRetryAfterSeconds();
        ExecutorService background = Executors.newSingleThreadExecutor();
        postgres.close();
        try {
            // Without retries, the caller sees the node's 503 and how long it asks to wait.
            ReviewsException unavailable = catchThrowableOfType(
                    () -> ReviewsClient.builder(app.baseUri()).maxAttempts(1).build().addReview(review(summary)),
                    ReviewsException.class);
            assertThat(unavailable.status()).isEqualTo(503);
            assertThat(unavailable.retryAfter()).hasValue(Duration.ofSeconds(retryAfter));
            assertThat(unavailable.isRetryable()).isTrue();

            ReviewsClient client = ReviewsClient.builder(app.baseUri()).maxAttempts(10)
                    .retryDelays(Duration.ofMillis(200), Duration.ofSeconds(5)).build();
            long start = System.nanoTime();
            Future<Integer> write = background.submit(() -> client.addReview(review(summary)));
            Thread.sleep(outage.toMillis());
            assertThat(write.isDone()).as("still retrying while the database is down").isFalse();
            postgres = startPostgres();
            int id = write.get(60, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(outage);
            assertThat(storedIds(summary)).containsExactly(id);
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void anAnswerLostAfterTheCommitIsReplayedNotWrittenAgain() throws Exception {
        String summary = "lost answer " + UUID.randomUUID().toString().substring(0, 8);
        try (AnswerDroppingProxy proxy = new AnswerDroppingProxy(java.net.URI.create(app.baseUri()).getPort(), 1)) {
            ReviewsClient client = ReviewsClient.builder("http://127.0.0.1:" + proxy.port())
                    .retryDelays(Duration.ofMillis(50), Duration.ofMillis(200)).build();
            int id = client.addReview(review(summary));
            assertThat(storedIds(summary)).containsExactly(id);
            assertThat(proxy.idempotencyKeys).hasSize(2).doesNotContainNull();
            assertThat(proxy.idempotencyKeys.get(1)).isEqualTo(proxy.idempotencyKeys.get(0));
        }
    }

    @Test
    void theProxysAnswersAreRetriedHonouringRetryAfter() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        List<Long> at = new CopyOnWriteArrayList<>();
        List<String> agents = new CopyOnWriteArrayList<>();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        int[] statuses = {429, 502, 504, 201};
        AtomicInteger attempt = new AtomicInteger();
        HttpServer proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        proxy.createContext("/reviews", exchange -> {
            at.add(System.nanoTime());
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            agents.add(exchange.getRequestHeaders().getFirst("User-Agent"));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.getRequestBody().readAllBytes();
            int status = statuses[Math.min(attempt.getAndIncrement(), statuses.length - 1)];
            byte[] body;
            if (status == 201) {
                // No text/plain label: the generated client used to throw a bare RuntimeException here.
                exchange.getResponseHeaders().add("Review-Id", "4242");
                body = "Created".getBytes(StandardCharsets.UTF_8);
            } else {
                exchange.getResponseHeaders().add("Retry-After", "1");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                body = ("{\"code\":" + status + ",\"message\":\"try again\"}").getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        proxy.start();
        try {
            ReviewsClient client = ReviewsClient.builder("http://127.0.0.1:" + proxy.getAddress().getPort())
                    .maxAttempts(4).retryDelays(Duration.ofMillis(10), Duration.ofSeconds(2))
                    .authorization("Bearer test-token").build();
            assertThat(client.addReview(review("proxied"))).isEqualTo(4242);
            assertThat(keys).hasSize(4).doesNotContainNull().containsOnly(keys.get(0));
            for (int i = 1; i < at.size(); i++) {
                assertThat(Duration.ofNanos(at.get(i) - at.get(i - 1))).as("pause before attempt %d", i + 1)
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            }
            assertThat(agents).containsOnly(client.userAgent());
            assertThat(client.userAgent()).startsWith("atelier-reviews-java/" + ReviewsClient.version());
            assertThat(authorizations).containsOnly("Bearer test-token");

            // A Retry-After beyond the longest pause the client accepts goes back to the caller at once.
            attempt.set(0);
            ReviewsClient impatient = ReviewsClient.builder("http://127.0.0.1:" + proxy.getAddress().getPort())
                    .retryDelays(Duration.ofMillis(10), Duration.ofMillis(500)).build();
            ReviewsException e = catchThrowableOfType(() -> impatient.addReview(review("proxied")),
                    ReviewsException.class);
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(1));
            assertThat(e.errorMessage()).isEqualTo("try again");
        } finally {
            proxy.stop(0);
        }
    }

    /**
     * Forwards connections to the node, but for the first {@code drops} ones closes the client's side once the node
     * has answered, without passing the answer on: a write that committed while its answer was lost.
     */
    static final class AnswerDroppingProxy implements AutoCloseable {
        private static final Pattern KEY = Pattern.compile("(?i)(?:^|\\n)Idempotency-Key: *([^\\r\\n]+)");
        final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();

        AnswerDroppingProxy(int upstreamPort, int drops) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        boolean drop = connections.incrementAndGet() <= drops;
                        CompletableFuture.runAsync(() -> relay(client, upstreamPort, drop));
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "answer-dropping-proxy");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void relay(Socket client, int upstreamPort, boolean drop) {
            try (client; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                CompletableFuture<Void> requests = CompletableFuture.runAsync(() -> copy(client, upstream, true));
                InputStream answers = upstream.getInputStream();
                if (drop) {
                    answers.read(); // the node answered, so it committed: lose that answer
                    return;
                }
                answers.transferTo(client.getOutputStream());
                requests.join();
            } catch (IOException ignored) {
                // either side closed
            }
        }

        private void copy(Socket from, Socket to, boolean record) {
            try {
                InputStream in = from.getInputStream();
                byte[] buffer = new byte[16384];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    if (record) {
                        Matcher m = KEY.matcher(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                        while (m.find()) {
                            idempotencyKeys.add(m.group(1));
                        }
                    }
                    to.getOutputStream().write(buffer, 0, n);
                }
                to.shutdownOutput();
            } catch (IOException ignored) {
                // either side closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
