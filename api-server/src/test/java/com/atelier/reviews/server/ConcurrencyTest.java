package com.atelier.reviews.server;

import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.server.Http.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients writing at once, over HTTP against a real node and database: no lost update, totals exactly equal to
 * a from-scratch recomputation, one row per Idempotency-Key.
 */
class ConcurrencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningApp app;
    private static Http http;

    @BeforeAll
    static void start() {
        // 50 clients on one hot row queue for the 16 pooled connections longer than the production 1 s (more so on
        // a loaded machine), and would rightly get 503s. Fail-fast is DatabaseFaultsTest's subject; this one counts.
        app = RunningApp.withSampleData("concurrency",
                ConfigOverride.config("database.maxWaitForConnection", "60s"));
        http = new Http(app.baseUri());
    }

    @AfterAll
    static void stop() {
        http.close();
        app.close();
    }

    /** Runs {@code tasks} on {@code threads} threads, all released at once; their results in task order. */
    static <T> List<T> concurrently(int threads, List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    static long queryLong(String sql, Object... params) throws SQLException {
        try (Connection c = app.database().connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getLong(1);
            }
        }
    }

    static int listedHelpfulness(int productId, int reviewId) throws Exception {
        Answer page = http.get("/reviews?product_id=" + productId + "&count=1000&sort=newest");
        assertThat(page.status()).isEqualTo(200);
        for (JsonNode r : JSON.readTree(page.body()).get("results")) {
            if (r.get("review_id").asInt() == reviewId) {
                return r.get("helpfulness").asInt();
            }
        }
        throw new AssertionError("review " + reviewId + " is not listed");
    }

    @Test
    void aThousandConcurrentHelpfulVotesAreAllCounted() throws Exception {
        int reviewId = 5;
        int productId = 2;
        long before = queryLong("SELECT helpfulness FROM reviews WHERE id = ?", reviewId);
        listedHelpfulness(productId, reviewId); // cached now: the votes must evict it
        List<Callable<Integer>> votes = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            votes.add(() -> http.put("/reviews/" + reviewId + "/helpful").status());
        }

        long start = System.nanoTime();
        List<Integer> statuses = concurrently(50, votes);
        System.out.printf("[concurrency] 1000 helpful votes on one review from 50 threads: %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        assertThat(statuses).hasSize(1_000).containsOnly(204);
        assertThat(queryLong("SELECT helpfulness FROM reviews WHERE id = ?", reviewId)).isEqualTo(before + 1_000);
        assertThat(listedHelpfulness(productId, reviewId)).isEqualTo((int) before + 1_000);
    }

    @Test
    void concurrentPostsHelpfulsAndReportsKeepTheMetadataExact() throws Exception {
        int productId = 3; // characteristics 6..9
        int[] characteristics = {6, 7, 8, 9};
        http.get("/reviews/meta?product_id=" + productId); // cached now: the writes must evict it
        ConcurrentLinkedQueue<Integer> created = new ConcurrentLinkedQueue<>();
        List<Callable<Integer>> writes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Random random = new Random(i);
            int n = i;
            writes.add(() -> {
                StringBuilder values = new StringBuilder();
                for (int id : characteristics) {
                    if (random.nextInt(4) > 0) { // some reviews leave some characteristics out
                        values.append(values.isEmpty() ? "" : ",").append('"').append(id).append("\":")
                                .append(1 + random.nextInt(5));
                    }
                }
                Answer posted = http.post("/reviews", """
                        {"product_id": %d, "rating": %d, "recommend": %b, "name": "c%d", "email": "c%d@example.com",
                         "body": "Concurrent review number %d, long enough to be a valid review body.",
                         "characteristics": {%s}}""".formatted(productId, 1 + random.nextInt(5), random.nextBoolean(),
                        n, n, n, values));
                if (posted.status() != 201) {
                    return posted.status();
                }
                int id = Integer.parseInt(posted.header("Review-Id").orElseThrow());
                created.add(id);
                int status = http.put("/reviews/" + id + "/helpful").status();
                if (status != 204) {
                    return status;
                }
                if (n % 4 == 0) { // a quarter is reported: out of the totals again
                    return http.put("/reviews/" + id + "/report").status();
                }
                List<Integer> others = new ArrayList<>(created);
                Collections.shuffle(others, random);
                return others.isEmpty() ? 204 : http.put("/reviews/" + others.get(0) + "/helpful").status();
            });
        }

        long start = System.nanoTime();
        List<Integer> statuses = concurrently(8, writes);
        System.out.printf("[concurrency] 200 posts + 400 helpful/report votes on one product from 8 threads: %d ms%n",
                (System.nanoTime() - start) / 1_000_000);

        assertThat(statuses).containsOnly(204);
        assertThat(created).hasSize(200);
        assertThat(queryLong("SELECT count(*) FROM reviews WHERE product_id = ? AND reported", productId))
                .isGreaterThanOrEqualTo(50);
        assertThat(AggregateCheck.differences(app.database())).isEmpty();
        JsonNode served = JSON.readTree(http.get("/reviews/meta?product_id=" + productId).body());
        assertThat(served).isEqualTo(metaFromScratch(productId));
    }

    @Test
    void concurrentPostsWithOneIdempotencyKeyCreateOneReview() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = "One review, sent by 24 impatient clients at once with the same Idempotency-Key " + key;
        String review = """
                {"product_id": 4, "rating": 5, "recommend": true, "name": "same", "email": "same@example.com",
                 "body": "%s", "photos": ["https://example.com/same.jpg"], "characteristics": {"10": 5}}"""
                .formatted(body);
        List<Callable<Answer>> posts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            posts.add(() -> http.post("/reviews", review, "Idempotency-Key", key));
        }

        List<Answer> answers = concurrently(24, posts);

        assertThat(answers).extracting(Answer::status).containsOnly(201);
        assertThat(answers).extracting(a -> a.header("Review-Id").orElseThrow()).containsOnly(
                answers.get(0).header("Review-Id").orElseThrow());
        assertThat(answers).filteredOn(a -> a.header("Idempotent-Replayed").isEmpty()).hasSize(1);
        long id = Long.parseLong(answers.get(0).header("Review-Id").orElseThrow());
        assertThat(queryLong("SELECT count(*) FROM reviews WHERE body = ?", body)).isEqualTo(1);
        assertThat(queryLong("SELECT id FROM reviews WHERE body = ?", body)).isEqualTo(id);
        assertThat(queryLong("SELECT count(*) FROM reviews_photos WHERE review_id = ?", id)).isEqualTo(1);
        assertThat(AggregateCheck.differences(app.database())).isEmpty();
    }

    /** What GET /reviews/meta must answer, computed from the raw rows (legacy rules: AVG text, zero counts left out). */
    static JsonNode metaFromScratch(int productId) throws SQLException {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("product_id", Integer.toString(productId));
        ObjectNode ratings = meta.putObject("ratings");
        ObjectNode recommended = meta.putObject("recommended");
        ObjectNode characteristics = meta.putObject("characteristics");
        try (Connection c = app.database().connect()) {
            try (PreparedStatement s = c.prepareStatement("SELECT rating, count(*) FROM reviews"
                    + " WHERE product_id = ? AND NOT reported GROUP BY rating ORDER BY rating")) {
                s.setInt(1, productId);
                ResultSet rs = s.executeQuery();
                while (rs.next()) {
                    ratings.put(rs.getString(1), rs.getString(2));
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT recommend::text, count(*) FROM reviews"
                    + " WHERE product_id = ? AND NOT reported GROUP BY recommend ORDER BY recommend")) {
                s.setInt(1, productId);
                ResultSet rs = s.executeQuery();
                while (rs.next()) {
                    recommended.put(rs.getString(1), rs.getString(2));
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT ch.name, ch.id, avg(cr.value)::text
                      FROM characteristics ch
                      LEFT JOIN (characteristic_reviews cr JOIN reviews r ON r.id = cr.review_id AND NOT r.reported)
                             ON cr.characteristic_id = ch.id
                     WHERE ch.product_id = ? GROUP BY ch.id, ch.name ORDER BY ch.id""")) {
                s.setInt(1, productId);
                ResultSet rs = s.executeQuery();
                while (rs.next()) {
                    ObjectNode one = characteristics.putObject(rs.getString(1));
                    one.put("id", rs.getInt(2));
                    one.put("value", rs.getString(3));
                }
            }
        }
        return meta;
    }
}
