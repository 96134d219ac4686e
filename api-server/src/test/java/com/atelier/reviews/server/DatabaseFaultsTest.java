package com.atelier.reviews.server;

import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.db.EmbeddedDatabase;
import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.Http.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node against a PostgreSQL that this test owns and stops: requests fail fast with 503 + Retry-After within the
 * configured timeouts, health turns red and back, the node recovers without a restart, and nothing is half-written.
 * Latency bounds are derived from the configuration (they catch hangs, they do not measure speed); the measured
 * figures are printed ({@code [db-faults]} lines).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Shorter than production's, so the pool test's blocked queries are cancelled quickly. */
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(3);
    /** Allowance on top of a configured bound for a loaded machine (scheduling, GC, HTTP). */
    private static final Duration MARGIN = Duration.ofSeconds(2);

    @TempDir
    static Path temp;
    private static Path dataDir;
    private static int port;
    private static EmbeddedDatabase postgres;
    private static ScratchDatabase db;
    private static RunningApp app;
    private static Http http;

    @BeforeAll
    static void start() throws IOException {
        dataDir = temp.resolve("pgdata");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        postgres = startPostgres();
        db = ScratchDatabase.create("db_faults",
                postgres.adminSettings());
        RunningApp.runSqlResource(db, "/fixtures/atelier-sample.sql");
        // No cache: every request needs the database, so each one shows how a fault is answered.
        app = RunningApp.start(db, ConfigOverride.config("cache.enabled", "false"),
                ConfigOverride.config("database.properties.options",
                        "-c statement_timeout=" + STATEMENT_TIMEOUT.toMillis()));
        http = new Http(app.baseUri());
    }

    @AfterAll
    static void stop() throws IOException {
        if (http != null) {
            http.close();
        }
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

    static DataSourceFactory pool() {
        return app.configuration().getDatabase();
    }

    static Duration maxWait() {
        return Duration.ofMillis(pool().getMaxWaitForConnection().toMilliseconds());
    }

    static void print(String format, Object... args) {
        System.out.printf("[db-faults] " + format + "%n", args);
    }

    static void assertUnavailable(Answer a) throws IOException {
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.header("Retry-After")).hasValue(Integer.toString(app.configuration().getRetryAfterSeconds()));
        assertThat(a.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = JSON.readTree(a.body());
        assertThat(error.get("code").asInt()).isEqualTo(503);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    static long queryLong(String sql, Object... params) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    static String totalsOfProduct1() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT (SELECT p::text FROM product_review_stats p WHERE product_id = 1)"
                    + " || (SELECT string_agg(cs::text, ',' ORDER BY characteristic_id) FROM characteristic_stats cs"
                    + " WHERE characteristic_id BETWEEN 1 AND 4)"
                    + " || (SELECT count(*) FROM reviews WHERE product_id = 1)");
            rs.next();
            return rs.getString(1);
        }
    }

    static String review(String body, String... photos) {
        return """
                {"product_id": 1, "rating": 3, "recommend": false, "name": "faulty", "email": "f@example.com",
                 "body": "%s", "photos": [%s], "characteristics": {"1": 2, "2": 3, "3": 4, "4": 5}}"""
                .formatted(body, String.join(",", photos.length == 0
                        ? List.of("\"https://example.com/a.jpg\"", "\"https://example.com/b.jpg\"")
                        : List.of(photos).stream().map(p -> '"' + p + '"').toList()));
    }

    @Test
    @Order(1)
    void anExhaustedPoolAnswers503WithinTheConfiguredWaits() throws Exception {
        int clients = pool().getMaxSize() * 2 + 8;
        List<Answer> answers = new ArrayList<>();
        long lockHeldNanos;
        try (Connection locker = db.connect(); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE product_review_stats IN ACCESS EXCLUSIVE MODE"); // every meta read now blocks
            long locked = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Answer>> futures = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        return http.get("/reviews/meta?product_id=1");
                    }));
                }
                go.countDown();
                // Held until every read is answered: each either found no connection in time or was cancelled.
                for (Future<Answer> f : futures) {
                    answers.add(f.get(60, TimeUnit.SECONDS));
                }
            } finally {
                lockHeldNanos = System.nanoTime() - locked;
                locker.rollback();
                pool.shutdownNow();
            }
        }

        long waitedForPool = answers.stream().filter(a -> a.millis() < STATEMENT_TIMEOUT.toMillis()).count();
        long max = answers.stream().mapToLong(Answer::millis).max().orElseThrow();
        long bound = maxWait().plus(STATEMENT_TIMEOUT).plus(MARGIN).toMillis();
        print("pool exhaustion: %d concurrent reads on a pool of %d, table locked %d ms: %d answered 503, %d after"
                        + " waiting maxWaitForConnection (%d ms), the others cancelled by statement_timeout (%d ms);"
                        + " max latency %d ms (bound %d ms = maxWaitForConnection + statement_timeout + margin)",
                clients, pool().getMaxSize(), ms(lockHeldNanos), answers.stream().filter(a -> a.status() == 503).count(),
                waitedForPool, maxWait().toMillis(), STATEMENT_TIMEOUT.toMillis(), max, bound);
        for (Answer a : answers) {
            assertUnavailable(a);
        }
        // More clients than connections: some were told at once that none was free, not after the lock was gone.
        assertThat(waitedForPool).isPositive();
        assertThat(max).isLessThanOrEqualTo(bound);
        // Cancelled statements leave their connections usable.
        assertThat(http.get("/reviews/meta?product_id=1").status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aWriteThatFailsMidwayLeavesNothingBehind() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // After the review row is inserted, its photo insert kills the server process serving the transaction,
            // or fails like a violated constraint.
            s.execute("""
                    CREATE FUNCTION test_fail_midway() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.url LIKE '%/die-midway%' THEN
                            PERFORM pg_terminate_backend(pg_backend_pid());
                            PERFORM pg_sleep(10);
                        ELSIF NEW.url LIKE '%/violate-midway%' THEN
                            RAISE EXCEPTION 'a constraint fails midway' USING ERRCODE = 'check_violation';
                        END IF;
                        RETURN NEW;
                    END $$""");
            s.execute("CREATE TRIGGER test_fail_midway BEFORE INSERT ON reviews_photos FOR EACH ROW"
                    + " EXECUTE FUNCTION test_fail_midway()");
        }
        String before = totalsOfProduct1();
        String dyingKey = UUID.randomUUID().toString();
        String dyingBody = "A review whose server process dies between two statements " + dyingKey;
        String dying = review(dyingBody, "https://example.com/die-midway.jpg");
        String failingBody = "A review whose transaction fails on a constraint after its first insert " + dyingKey;

        Answer failed = http.post("/reviews", review(failingBody, "https://example.com/violate-midway.jpg"),
                "Idempotency-Key", UUID.randomUUID().toString());
        Answer died = http.post("/reviews", dying, "Idempotency-Key", dyingKey);

        assertUnavailable(died);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(JSON.readTree(failed.body()).get("code").asInt()).isEqualTo(500);
        assertThat(failed.body()).doesNotContain("Exception").doesNotContain("check_violation");
        assertThat(totalsOfProduct1()).isEqualTo(before);
        assertThat(queryLong("SELECT count(*) FROM reviews WHERE body IN (?, ?)", dyingBody, failingBody)).isZero();
        assertThat(queryLong("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", dyingKey)).isZero();
        assertThat(AggregateCheck.differences(db)).isEmpty();

        // The client retries with its key once the fault is gone: written once, as a first answer.
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER test_fail_midway ON reviews_photos");
            s.execute("DROP FUNCTION test_fail_midway()");
        }
        // Within validationInterval the killed connection may be handed out once more, dead (503): retry as told.
        Answer retried = http.post("/reviews", dying, "Idempotency-Key", dyingKey);
        for (int attempt = 1; retried.status() == 503 && attempt < 5; attempt++) {
            Thread.sleep(pool().getValidationInterval().toMilliseconds());
            retried = http.post("/reviews", dying, "Idempotency-Key", dyingKey);
        }
        assertThat(retried.status()).as(retried.body()).isEqualTo(201);
        assertThat(retried.header("Idempotent-Replayed")).isEmpty();
        assertThat(queryLong("SELECT count(*) FROM reviews WHERE body = ?", dyingBody)).isEqualTo(1);
        assertThat(queryLong("SELECT count(*) FROM reviews_photos p JOIN reviews r ON r.id = p.review_id"
                + " WHERE r.body = ?", dyingBody)).isEqualTo(1);
        assertThat(AggregateCheck.differences(db)).isEmpty();
    }

    /** One request of the load, as the client saw it. */
    record Sample(String kind, String key, String body, Answer answer, String error) {
        boolean ok() {
            return answer != null && answer.status() / 100 == 2;
        }
    }

    @Test
    @Order(3)
    void postgresStoppedUnderLoadThenBackTheNodeFailsFastAndRecoversByItself() throws Exception {
        long helpfulBefore = queryLong("SELECT helpfulness FROM reviews WHERE id = 1");
        List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        int workers = 4;
        ExecutorService load = Executors.newFixedThreadPool(workers);
        List<Future<?>> loops = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            loops.add(load.submit((Callable<Void>) () -> {
                for (int i = 0; running.get(); i++) {
                    samples.add(request(worker, i));
                    Thread.sleep(10);
                }
                return null;
            }));
        }
        Http admin = new Http(app.adminUri());
        try {
            Thread.sleep(1500);
            long stopBegin = System.nanoTime();
            postgres.close();
            postgres = null;
            long stopEnd = System.nanoTime();
            long adminRed = waitFor(() -> admin.get("/healthcheck").status() == 500, Duration.ofSeconds(20));
            long appRed = waitFor(() -> http.get("/health-check").status() == 503, Duration.ofSeconds(20));
            Thread.sleep(1500);

            long startBegin = System.nanoTime();
            postgres = startPostgres();
            long startEnd = System.nanoTime();
            long appGreen = waitFor(() -> http.get("/health-check").status() == 200, Duration.ofSeconds(30));
            long adminGreen = waitFor(() -> admin.get("/healthcheck").status() == 200, Duration.ofSeconds(30));
            // Dead pooled connections are evicted when borrowed (validated at most every validationInterval): past
            // that, everything must succeed. Keep the load on well beyond it.
            long recoveryBound = Duration.ofMillis(pool().getValidationInterval().toMilliseconds()).plus(MARGIN)
                    .toNanos();
            Thread.sleep(Math.max(0, ms(startEnd + recoveryBound - System.nanoTime())) + 1500);
            running.set(false);
            for (Future<?> f : loops) {
                f.get(60, TimeUnit.SECONDS);
            }

            List<Sample> all = List.copyOf(samples);
            long fiveOhThrees = all.stream().filter(s -> s.answer() != null && s.answer().status() == 503).count();
            long maxMillis = all.stream().filter(s -> s.answer() != null).mapToLong(s -> s.answer().millis())
                    .max().orElseThrow();
            List<Sample> whileDown = all.stream().filter(s -> s.answer() != null
                    && s.answer().startNanos() >= stopEnd && s.answer().endNanos() <= startBegin).toList();
            long firstOkAfterStart = all.stream().filter(s -> s.ok() && s.answer().startNanos() >= startEnd)
                    .mapToLong(s -> s.answer().endNanos()).min().orElse(Long.MAX_VALUE);
            long lastFailureAfterStart = all.stream().filter(s -> !s.ok() && s.answer() != null
                            && s.answer().startNanos() >= startEnd)
                    .mapToLong(s -> s.answer().endNanos()).max().orElse(startEnd);
            long latencyBound = maxWait().plus(connectTimeout()).plus(MARGIN).toMillis();
            print("outage: %d requests (%d while PostgreSQL was down), %d answered 503, max latency %d ms"
                            + " (bound %d ms = maxWaitForConnection + connectTimeout + margin)",
                    all.size(), whileDown.size(), fiveOhThrees, maxMillis, latencyBound);
            print("outage: stop took %d ms; health red after %d ms (admin /healthcheck), %d ms (/health-check)",
                    ms(stopEnd - stopBegin), ms(adminRed - stopEnd), ms(appRed - stopEnd));
            print("recovery: PostgreSQL start took %d ms; after it, first success in %d ms, last failure at %d ms,"
                            + " /health-check green in %d ms, admin /healthcheck green in %d ms",
                    ms(startEnd - startBegin), ms(firstOkAfterStart - startEnd), ms(lastFailureAfterStart - startEnd),
                    ms(appGreen - startEnd), ms(adminGreen - startEnd));

            assertThat(all).filteredOn(s -> s.error() != null).as("transport errors").isEmpty();
            for (Sample s : all) {
                assertThat(s.answer().status()).as("%s %s", s.kind(), s.answer().body()).isIn(200, 201, 204, 503);
                if (s.answer().status() == 503) {
                    assertUnavailable(s.answer());
                }
            }
            assertThat(whileDown).isNotEmpty().allSatisfy(s -> assertThat(s.answer().status()).isEqualTo(503));
            assertThat(maxMillis).isLessThanOrEqualTo(latencyBound);
            assertThat(all).filteredOn(s -> s.answer().startNanos() >= startEnd + recoveryBound)
                    .isNotEmpty().allSatisfy(s -> assertThat(s.ok()).as("%s after recovery: %s", s.kind(),
                            s.answer().body()).isTrue());

            assertNothingHalfWritten(all, helpfulBefore);
        } finally {
            running.set(false);
            load.shutdownNow();
            admin.close();
        }
    }

    /** Every failed write is retried with its key; then each key was written exactly once, and totals are exact. */
    private void assertNothingHalfWritten(List<Sample> all, long helpfulBefore) throws Exception {
        int retried = 0;
        for (Sample s : all) {
            if (s.key() != null && !s.ok()) {
                Answer again = s.kind().equals("post")
                        ? http.post("/reviews", s.body(), "Idempotency-Key", s.key())
                        : http.put("/reviews/1/helpful", "Idempotency-Key", s.key());
                assertThat(again.status()).as(again.body()).isIn(201, 204);
                retried++;
            }
        }
        long posts = all.stream().filter(s -> s.kind().equals("post")).count();
        long helpfuls = all.stream().filter(s -> s.kind().equals("helpful")).count();
        print("consistency: %d keyed writes (%d posts, %d helpful votes), %d retried after the outage",
                posts + helpfuls, posts, helpfuls, retried);
        assertThat(queryLong("SELECT count(*) FROM reviews WHERE body LIKE 'Written under a database outage %'"))
                .isEqualTo(posts);
        assertThat(queryLong("""
                SELECT count(*) FROM reviews r WHERE r.body LIKE 'Written under a database outage %'
                   AND ((SELECT count(*) FROM reviews_photos p WHERE p.review_id = r.id) <> 2
                        OR (SELECT count(*) FROM characteristic_reviews c WHERE c.review_id = r.id) <> 4
                        OR NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.review_id = r.id))""")).isZero();
        assertThat(queryLong("SELECT helpfulness FROM reviews WHERE id = 1")).isEqualTo(helpfulBefore + helpfuls);
        assertThat(AggregateCheck.differences(db)).isEmpty();
    }

    private static Sample request(int worker, int i) {
        String kind = switch (i % 4) {
            case 0 -> "list";
            case 1 -> "meta";
            case 2 -> "post";
            default -> "helpful";
        };
        String key = kind.equals("post") || kind.equals("helpful") ? UUID.randomUUID().toString() : null;
        String body = kind.equals("post") ? review("Written under a database outage " + worker + "/" + i + " " + key)
                : null;
        try {
            Answer a = switch (kind) {
                case "list" -> http.get("/reviews?product_id=2&sort=newest");
                case "meta" -> http.get("/reviews/meta?product_id=1");
                case "post" -> http.post("/reviews", body, "Idempotency-Key", key);
                default -> http.put("/reviews/1/helpful", "Idempotency-Key", key);
            };
            return new Sample(kind, key, body, a, null);
        } catch (RuntimeException e) {
            return new Sample(kind, key, body, null, e.toString());
        }
    }

    private static Duration connectTimeout() {
        String seconds = pool().getProperties().getOrDefault("connectTimeout", "10"); // pgJDBC's default
        return Duration.ofSeconds(Long.parseLong(seconds));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** Polls until the condition holds (a request error counts as not yet); when it first held. */
    private static long waitFor(Callable<Boolean> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return System.nanoTime();
                }
            } catch (UncheckedIOException notYet) {
                // keep polling
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not reached within " + timeout);
    }

}
