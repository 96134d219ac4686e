package com.atelier.reviews.server.warmup;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.RunningApp;
import com.atelier.reviews.server.auth.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real node with a warm-up, behind the out-of-rotation filter and with keys required (as in ./reviews cluster): it
 * reports unhealthy while warming, its warm-up reads reach the resource anyway, it turns healthy after, and its
 * caches hold nothing the warm-up loaded. The test holds the warm-up at its first query (a lock on the table it
 * reads its products from) to see the "before".
 */
class WarmupTest {

    private static final int REQUESTS = 400;
    private static final String API = "com.atelier.reviews.contract.api.ReviewsApi.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ScratchDatabase db;
    private static RunningApp node;
    private static String key;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create("warmup");
        RunningApp.runSqlResource(db, "/fixtures/atelier-sample.sql");
        key = Keys.run(db, null, "keys-create", "--name", "warmup-test", "--scopes", "read").printedKey();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.stop();
        }
        db.close();
    }

    @Test
    void theNodeIsOutOfRotationUntilWarmThenServesFromEmptyCaches() throws Exception {
        try (Connection lock = db.connect(); Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE product_review_stats IN ACCESS EXCLUSIVE MODE");
            // No wait for the JIT after the requests (JitActivityTest covers it): exactly REQUESTS are sent.
            node = RunningApp.start(db, ConfigOverride.config("warmup.requests", Integer.toString(REQUESTS)),
                    ConfigOverride.config("warmup.maxDuration", "0s"),
                    ConfigOverride.config("outOfRotationWhenUnhealthy", "true"),
                    ConfigOverride.config("auth.required", "true"));

            assertThat(get(node.baseUri() + "/health-check").statusCode()).isEqualTo(503);
            HttpResponse<String> admin = get(node.adminUri() + "/healthcheck");
            assertThat(admin.statusCode()).isEqualTo(500);
            assertThat(JSON.readTree(admin.body()).at("/warmup/healthy").asBoolean(true)).isFalse();
            assertThat(JSON.readTree(admin.body()).at("/warmup/message").asText()).startsWith("warming up");
            assertThat(get(node.baseUri() + "/reviews?product_id=2", "Authorization", "Bearer " + key).statusCode())
                    .as("real traffic is sent elsewhere while warming").isEqualTo(503);
            assertThat(counter("/meters/warmup.requests/count")).isZero();
            lock.rollback();
        }

        awaitHealthy();
        HttpResponse<String> admin = get(node.adminUri() + "/healthcheck");
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(200);
        assertThat(JSON.readTree(admin.body()).at("/warmup/message").asText()).startsWith("warmed up: " + REQUESTS);

        assertThat(counter("/meters/warmup.requests/count")).isEqualTo(REQUESTS);
        assertThat(counter("/meters/warmup.failures/count")).isZero();
        assertThat(counter("/timers/" + API + "listReviews/count") + counter("/timers/" + API + "getReviewMeta/count"))
                .as("every warm-up read reached the resource, through the auth and out-of-rotation filters")
                .isEqualTo(REQUESTS);
        assertThat(counter("/meters/" + API + "listReviews.2xx-responses/count")).isEqualTo(REQUESTS * 3 / 4);
        assertThat(counter("/meters/cache.reviews.misses/count")).isPositive();
        assertThat(counter("/meters/cache.reviews.hits/count")).isPositive();

        // Every product the warm-up read (product 2 among them) is not cached any more: the first real read is a miss
        // (or, on a loaded box whose feed polled late, read past the untrusted cache), never a hit.
        for (String path : List.of("/reviews?product_id=2", "/reviews/meta?product_id=2")) {
            String cache = path.contains("meta") ? "meta" : "reviews";
            long hits = counter("/meters/cache." + cache + ".hits/count");
            long notHits = counter("/meters/cache." + cache + ".misses/count")
                    + counter("/meters/cache." + cache + ".untrusted/count");
            assertThat(get(node.baseUri() + path, "Authorization", "Bearer " + key).statusCode()).isEqualTo(200);
            assertThat(counter("/meters/cache." + cache + ".hits/count")).as(path).isEqualTo(hits);
            assertThat(counter("/meters/cache." + cache + ".misses/count")
                    + counter("/meters/cache." + cache + ".untrusted/count")).as(path).isEqualTo(notHits + 1);
        }
        assertThat(get(node.baseUri() + "/reviews?product_id=2", WarmupPass.HEADER, "guess").statusCode())
                .as("no key, no pass: refused").isEqualTo(401);
    }

    @Test
    void aNegativeCountIsAConfigurationError() {
        assertThatThrownBy(() -> RunningApp.start(db, ConfigOverride.config("warmup.requests", "-1")))
                .hasStackTraceContaining("warmup.requests must be greater than or equal to 0");
    }

    private static void awaitHealthy() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (get(node.baseUri() + "/health-check").statusCode() != 200) {
            assertThat(System.nanoTime()).as("healthy within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static long counter(String pointer) throws Exception {
        JsonNode metrics = JSON.readTree(get(node.adminUri() + "/metrics").body());
        return metrics.at(pointer).asLong();
    }

    private static HttpResponse<String> get(String uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
