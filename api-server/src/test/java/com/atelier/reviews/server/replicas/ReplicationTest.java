package com.atelier.reviews.server.replicas;

import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.db.ConnectionSettings;
import com.atelier.reviews.db.ReplicatedDatabase;
import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.Http;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes on a real primary and a real synchronous hot standby (started from the embedded binaries): cache
 * misses are read from the standby, never older than a write that has returned, and the reads survive the primary's
 * death while the writes answer 503 until the standby is promoted, then resume with no node restarted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRODUCT = 2; // has characteristic 5 in the sample rows
    private static ReplicatedDatabase servers;
    private static ScratchDatabase db;
    private static List<RunningApp> nodes;
    private static List<Http> clients;

    @BeforeAll
    static void start() throws Exception {
        servers = ReplicatedDatabase.start();
        db = ScratchDatabase.create("replication", servers.primarySettings());
        RunningApp.runSqlResource(db, "/fixtures/atelier-sample.sql");
        servers.awaitStandbyCaughtUp();
        String name = db.settings().databaseName();
        String standbyUrl = servers.standbySettings().withDatabase(name).jdbcUrl();
        nodes = new ArrayList<>();
        clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RunningApp node = RunningApp.start(db, servers.writerSettings(name).jdbcUrl(),
                    ConfigOverride.config("replicas.url", standbyUrl),
                    ConfigOverride.config("replicas.checkInterval", "100ms"));
            nodes.add(node);
            clients.add(new Http(node.baseUri()));
        }
        for (RunningApp node : nodes) {
            awaitHealthy(node, "change-feed", "caches trusted");
        }
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            clients.forEach(Http::close);
            // Last started, first stopped: each node's overrides restore the system properties it found, so stopping
            // in start order would leave this suite's replicas.url set for the suites after it.
            for (int i = nodes.size() - 1; i >= 0; i--) {
                nodes.get(i).stop();
            }
        }
        if (servers != null) {
            servers.close(); // the scratch database goes with both servers' directories
        }
    }

    @Test
    @Order(1)
    void cacheMissesAreReadFromTheStandby() throws Exception {
        long standbyCommitsBefore = standbyTransactions();
        Map<RunningApp, Long> before = new ConcurrentHashMap<>();
        for (RunningApp node : nodes) {
            before.put(node, meter(node, "reads.standby"));
        }
        for (int product = 1; product <= 30; product++) {
            for (Http client : clients) {
                assertThat(client.get("/reviews?product_id=" + product + "&count=100").status()).isEqualTo(200);
                assertThat(client.get("/reviews/meta?product_id=" + product).status()).isEqualTo(200);
            }
        }
        for (RunningApp node : nodes) {
            long fromStandby = meter(node, "reads.standby") - before.get(node);
            assertThat(fromStandby).as("misses read from the standby by %s", node.baseUri()).isGreaterThanOrEqualTo(40);
            JsonNode lag = gauges(node).get("replicas.127.0.0.1:" + servers.standbyPort() + ".lagMillis");
            assertThat(lag.get("value").asLong()).as("the standby's lag metric").isBetween(0L, 5_000L);
        }
        // Backends report their statistics at most once a second, when idle: wait for them.
        long served = standbyTransactions() - standbyCommitsBefore;
        for (int i = 0; i < 100 && served < 3 * 40; i++) {
            Thread.sleep(100);
            served = standbyTransactions() - standbyCommitsBefore;
        }
        assertThat(served).as("transactions the standby counted").isGreaterThanOrEqualTo(3 * 40);
    }

    @Test
    @Order(2)
    void withReplayPausedEveryNodeStillAnswersTheWriteThatReturned() throws Exception {
        int review = firstListedReview();
        String listPath = "/reviews?product_id=" + PRODUCT + "&count=100";
        for (Http client : clients) { // cached everywhere
            client.get(listPath);
            client.get("/reviews/meta?product_id=" + PRODUCT);
        }
        long behindBefore = nodes.stream().mapToLong(n -> meter(n, "reads.standby.behind")).sum();
        servers.pauseReplay();
        try {
            for (int round = 0; round < 6; round++) {
                Http writer = clients.get(round % 3);
                int expected = helpfulness(review) + 1;
                assertThat(writer.put("/reviews/" + review + "/helpful").status()).isEqualTo(204);
                String summary = "paused replay " + round;
                assertThat(writer.post("/reviews", reviewJson(summary)).status()).isEqualTo(201);
                for (Http reader : clients) {
                    String list = reader.get(listPath).body();
                    assertThat(list).as("round %d", round).contains("\"summary\":\"" + summary + "\"");
                    assertThat(listedHelpfulness(list, review)).as("round %d", round).isEqualTo(expected);
                    JsonNode meta = JSON.readTree(reader.get("/reviews/meta?product_id=" + PRODUCT).body());
                    assertThat(meta.at("/ratings/4").asInt()).as("round %d", round).isEqualTo(ratingsOf4());
                }
            }
            assertThat(standbyCount("SELECT count(*) FROM reviews WHERE summary LIKE 'paused replay %'"))
                    .as("the standby really lacks the writes").isZero();
            assertThat(nodes.stream().mapToLong(n -> meter(n, "reads.standby.behind")).sum())
                    .as("reads that found the standby behind and went to the primary").isGreaterThan(behindBefore);
        } finally {
            servers.resumeReplay();
        }
        servers.awaitStandbyCaughtUp();
    }

    @Test
    @Order(3)
    void readsSurviveThePrimaryAndWritesResumeAfterThePromotion() throws Exception {
        List<Integer> reviews = listedReviews();
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        List<String> acknowledgedPosts = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger acknowledgedVotes = new AtomicInteger();
        AtomicInteger postNumber = new AtomicInteger();
        long votesBefore = sumHelpfulness(db.settings(), reviews);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(7);
        for (int t = 0; t < 7; t++) {
            int kind = t;
            load.submit(() -> {
                while (running.get()) {
                    Http client = clients.get(ThreadLocalRandom.current().nextInt(3));
                    int product = 1 + ThreadLocalRandom.current().nextInt(30);
                    long start = System.nanoTime();
                    Http.Answer a;
                    try {
                        if (kind < 4) {
                            a = kind % 2 == 0 ? client.get("/reviews?product_id=" + product)
                                    : client.get("/reviews/meta?product_id=" + product);
                        } else if (kind < 6) {
                            a = client.put("/reviews/" + reviews.get(product % reviews.size()) + "/helpful");
                            if (a.status() == 204) {
                                acknowledgedVotes.incrementAndGet();
                            }
                        } else {
                            String summary = "outage " + postNumber.incrementAndGet();
                            a = client.post("/reviews", reviewJson(summary));
                            if (a.status() == 201) {
                                acknowledgedPosts.add(summary);
                            }
                        }
                        answers.add(new Answer(kind < 4, a.status(), a.header("Retry-After").isPresent(), start,
                                System.nanoTime()));
                    } catch (RuntimeException e) {
                        answers.add(new Answer(kind < 4, -1, false, start, System.nanoTime()));
                    }
                    if (kind >= 4) {
                        sleepMillis(20);
                    }
                }
            });
        }
        sleepMillis(1_500);
        long killed = System.nanoTime();
        servers.killPrimary();
        long dead = System.nanoTime(); // a write sent before this may still have committed
        sleepMillis(2_000);
        long promoteStart = System.nanoTime();
        servers.promoteStandby();
        long promoted = System.nanoTime();
        long deadline = promoted + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && firstWriteSuccessAfter(answers, promoted) < 0) {
            sleepMillis(50);
        }
        sleepMillis(1_000);
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        List<Answer> all;
        synchronized (answers) {
            all = new ArrayList<>(answers);
        }
        List<Answer> reads = all.stream().filter(Answer::read).toList();
        List<Answer> writes = all.stream().filter(a -> !a.read()).toList();
        List<Answer> readsDuringOutage = reads.stream().filter(a -> a.start() > killed && a.end() < promoted).toList();
        List<Answer> refused = writes.stream().filter(a -> a.status() == 503).toList();
        long firstWrite = firstWriteSuccessAfter(all, promoted);
        long first503 = writes.stream().filter(a -> a.status() == 503).mapToLong(Answer::end).min().orElse(-1);
        System.out.printf("outage timeline: %d reads (%d while the primary was down), %d writes (%d answered 503);"
                        + " first 503 %d ms after the kill; slowest 503 %d ms; promotion returned %d ms after the kill;"
                        + " first write acknowledged %d ms after the promotion%n",
                reads.size(), readsDuringOutage.size(), writes.size(), refused.size(), millis(first503 - killed),
                refused.stream().mapToLong(a -> millis(a.end() - a.start())).max().orElse(-1),
                millis(promoted - killed), millis(firstWrite - promoted));

        assertThat(reads.stream().filter(a -> a.status() != 200).toList()).as("reads not answered 200").isEmpty();
        assertThat(readsDuringOutage).as("reads while the primary was down").hasSizeGreaterThan(20);
        assertThat(writes.stream().filter(a -> a.start() > dead && a.end() < promoteStart).toList())
                .as("writes sent while the primary was down, before the promotion").isNotEmpty()
                .allSatisfy(a -> assertThat(a.status()).isEqualTo(503));
        assertThat(refused).allSatisfy(a -> assertThat(a.retryAfter()).as("Retry-After on 503").isTrue());
        assertThat(writes.stream().filter(a -> a.status() != 201 && a.status() != 204 && a.status() != 503).toList())
                .as("writes answered neither success nor 503").isEmpty();
        assertThat(firstWrite).as("a write acknowledged after the promotion").isPositive();
        assertThat(millis(firstWrite - promoted)).as("ms from promotion to the first acknowledged write")
                .isLessThan(5_000);

        ConnectionSettings promotedDb = servers.standbySettings().withDatabase(db.settings().databaseName());
        for (String summary : acknowledgedPosts) {
            assertThat(count(promotedDb, "SELECT count(*) FROM reviews WHERE summary = '" + summary + "'"))
                    .as("acknowledged POST %s on the promoted server", summary).isEqualTo(1);
        }
        long votesAfter = sumHelpfulness(promotedDb, reviews);
        assertThat(votesAfter - votesBefore).as("acknowledged votes on the promoted server")
                .isGreaterThanOrEqualTo(acknowledgedVotes.get());
        assertThat(AggregateCheck.differences(promotedDb)).isEmpty();
        for (Http client : clients) { // the promoted server takes and shows writes through every node
            String summary = "after the promotion via " + clients.indexOf(client);
            assertThat(client.post("/reviews", reviewJson(summary)).status()).isEqualTo(201);
            for (Http reader : clients) {
                assertThat(reader.get("/reviews?product_id=" + PRODUCT + "&count=1000").body()).contains(summary);
            }
        }
    }

    private record Answer(boolean read, int status, boolean retryAfter, long start, long end) {
    }

    private static long firstWriteSuccessAfter(List<Answer> answers, long nanos) {
        synchronized (answers) {
            return answers.stream().filter(a -> !a.read() && a.start() > nanos && (a.status() == 201 || a.status() == 204))
                    .mapToLong(Answer::end).min().orElse(-1);
        }
    }

    private static String reviewJson(String summary) {
        return """
                {"product_id": %d, "rating": 4, "summary": "%s", "body": "Written while the test plays with the \
                primary and its standby, to be read back right after.", "recommend": true, "name": "tester",
                "email": "tester@example.com", "photos": [], "characteristics": {"5": 4}}""".formatted(PRODUCT, summary);
    }

    private static int listedHelpfulness(String list, int review) throws Exception {
        for (JsonNode r : JSON.readTree(list).get("results")) {
            if (r.get("review_id").asInt() == review) {
                return r.get("helpfulness").asInt();
            }
        }
        throw new AssertionError("review " + review + " not listed in " + list);
    }

    private static int firstListedReview() throws SQLException {
        return listedReviews().get(0);
    }

    private static List<Integer> listedReviews() throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id FROM reviews WHERE product_id = " + PRODUCT
                     + " AND NOT reported ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private static int helpfulness(int review) throws SQLException {
        return (int) count(db.settings(), "SELECT helpfulness FROM reviews WHERE id = " + review);
    }

    private static long ratingsOf4() throws SQLException {
        return count(db.settings(), "SELECT count(*) FROM reviews WHERE product_id = " + PRODUCT
                + " AND rating = 4 AND NOT reported");
    }

    private static long sumHelpfulness(ConnectionSettings on, List<Integer> reviews) throws SQLException {
        return count(on, "SELECT sum(helpfulness) FROM reviews WHERE id IN ("
                + String.join(",", reviews.stream().map(String::valueOf).toList()) + ")");
    }

    private static long standbyCount(String sql) throws SQLException {
        return count(servers.standbySettings().withDatabase(db.settings().databaseName()), sql);
    }

    private static long standbyTransactions() throws SQLException {
        return count(servers.standbySettings(), "SELECT xact_commit FROM pg_stat_database WHERE datname = '"
                + db.settings().databaseName() + "'");
    }

    private static long count(ConnectionSettings on, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(on.jdbcUrl(), on.user(), on.password());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long meter(RunningApp node, String name) {
        return metrics(node).at("/meters/" + name + "/count").asLong();
    }

    private static JsonNode gauges(RunningApp node) {
        return metrics(node).get("gauges");
    }

    private static JsonNode metrics(RunningApp node) {
        try (Http admin = new Http(node.adminUri())) {
            return JSON.readTree(admin.get("/metrics").body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitHealthy(RunningApp node, String check, String messageEnd) throws Exception {
        try (Http admin = new Http(node.adminUri())) {
            for (int i = 0; i < 300; i++) {
                if (JSON.readTree(admin.get("/healthcheck").body()).at("/" + check + "/message").asText()
                        .endsWith(messageEnd)) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError(check + " of " + node.baseUri() + " never said " + messageEnd);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
