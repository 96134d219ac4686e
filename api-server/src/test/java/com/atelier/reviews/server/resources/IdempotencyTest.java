package com.atelier.reviews.server.resources;

import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.server.Http;
import com.atelier.reviews.server.Http.Answer;
import com.atelier.reviews.server.RunningApp;
import com.atelier.reviews.server.core.IdempotencyKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Idempotency-Key on the writes, over HTTP against a real node and database. */
class IdempotencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningApp app;
    private static Http http;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("idempotency");
        http = new Http(app.baseUri());
    }

    @AfterAll
    static void stop() {
        http.close();
        app.close();
    }

    static String review(String body) {
        return """
                {"product_id": 1, "rating": 4, "summary": "Keyed", "recommend": true, "body": "%s",
                 "name": "keyholder", "email": "key@example.com", "photos": ["https://example.com/k.jpg"],
                 "characteristics": {"1": 3, "2": 4}}""".formatted(body);
    }

    static String uniqueBody() {
        return "An idempotent review that is long enough to pass validation " + UUID.randomUUID();
    }

    static long count(String sql, Object... params) throws SQLException {
        try (Connection c = app.database().connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void assertErrorNamesTheHeader(Answer a, int status) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = JSON.readTree(a.body());
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(error.get("message").asText()).contains("Idempotency-Key");
    }

    @Test
    void aRetryWithTheSameKeyAndBodyReplaysTheFirstAnswerAndWritesOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = uniqueBody();
        long before = count("SELECT count(*) FROM reviews WHERE product_id = 1 AND NOT reported");

        Answer first = http.post("/reviews", review(body), "Idempotency-Key", key);
        // The same review, spaced and ordered differently: the same request once parsed.
        String reordered = """
                {"characteristics":{"2":4,"1":3},"email":"key@example.com","name":"keyholder","photos":["https://example.com/k.jpg"],
                "body":"%s","recommend":true,"summary":"Keyed","rating":4,"product_id":1}""".formatted(body);
        Answer retry = http.post("/reviews", reordered, "Idempotency-Key", key);

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isEmpty();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body()).isEqualTo("Created");
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/reviews?product_id=1"));
        assertThat(retry.header("Review-Id")).isEqualTo(first.header("Review-Id")).isPresent();
        assertThat(retry.header("Idempotent-Replayed")).hasValue("true");

        int id = Integer.parseInt(first.header("Review-Id").orElseThrow());
        assertThat(count("SELECT count(*) FROM reviews WHERE body = ?", body)).isEqualTo(1);
        assertThat(count("SELECT id FROM reviews WHERE body = ?", body)).isEqualTo(id);
        assertThat(count("SELECT count(*) FROM reviews_photos WHERE review_id = ?", id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM characteristic_reviews WHERE review_id = ?", id)).isEqualTo(2);
        assertThat(count("SELECT review_id FROM idempotency_keys WHERE idempotency_key = ?", key)).isEqualTo(id);
        assertThat(count("SELECT count(*) FROM reviews WHERE product_id = 1 AND NOT reported")).isEqualTo(before + 1);
        assertThat(AggregateCheck.differences(app.database())).isEmpty();
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndWritesNothing() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(http.post("/reviews", review(uniqueBody()), "Idempotency-Key", key).status()).isEqualTo(201);
        String other = uniqueBody();

        assertErrorNamesTheHeader(http.post("/reviews", review(other), "Idempotency-Key", key), 422);
        assertThat(count("SELECT count(*) FROM reviews WHERE body = ?", other)).isZero();
    }

    @Test
    void theSameKeyOnAnotherEndpointIsRefused() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(http.post("/reviews", review(uniqueBody()), "Idempotency-Key", key).status()).isEqualTo(201);
        long helpfulness = count("SELECT helpfulness FROM reviews WHERE id = 1");

        assertErrorNamesTheHeader(http.put("/reviews/1/helpful", "Idempotency-Key", key), 422);
        assertThat(count("SELECT helpfulness FROM reviews WHERE id = 1")).isEqualTo(helpfulness);
    }

    @Test
    void aRequestThatFailedValidationDoesNotUseUpItsKey() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = uniqueBody();
        String notOwned = review(body).replace("\"2\": 4", "\"5\": 4"); // characteristic 5 belongs to product 2

        Answer refused = http.post("/reviews", notOwned, "Idempotency-Key", key);
        Answer fixed = http.post("/reviews", review(body), "Idempotency-Key", key);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).get("field").asText()).isEqualTo("characteristics.5");
        assertThat(fixed.status()).as(fixed.body()).isEqualTo(201);
        assertThat(fixed.header("Idempotent-Replayed")).isEmpty();
        assertThat(count("SELECT count(*) FROM reviews WHERE body = ?", body)).isEqualTo(1);
    }

    @Test
    void helpfulWithAKeyCountsOnceHowEverOftenItIsRetried() throws Exception {
        String key = UUID.randomUUID().toString();
        long before = count("SELECT helpfulness FROM reviews WHERE id = 3");

        Answer first = http.put("/reviews/3/helpful", "Idempotency-Key", key);
        Answer second = http.put("/reviews/3/helpful", "Idempotency-Key", key);
        Answer third = http.put("/reviews/3/helpful", "Idempotency-Key", key);
        Answer unkeyed = http.put("/reviews/3/helpful");

        assertThat(first.status()).isEqualTo(204);
        assertThat(first.header("Idempotent-Replayed")).isEmpty();
        assertThat(second.status()).isEqualTo(204);
        assertThat(second.header("Idempotent-Replayed")).hasValue("true");
        assertThat(third.header("Idempotent-Replayed")).hasValue("true");
        assertThat(unkeyed.status()).isEqualTo(204);
        assertThat(count("SELECT helpfulness FROM reviews WHERE id = 3")).isEqualTo(before + 2);
    }

    @Test
    void reportAcceptsAKeyToo() throws Exception {
        String key = UUID.randomUUID().toString();
        Answer posted = http.post("/reviews", review(uniqueBody()), "Idempotency-Key", UUID.randomUUID().toString());
        String id = posted.header("Review-Id").orElseThrow();

        Answer first = http.put("/reviews/" + id + "/report", "Idempotency-Key", key);
        Answer retry = http.put("/reviews/" + id + "/report", "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(204);
        assertThat(retry.status()).isEqualTo(204);
        assertThat(retry.header("Idempotent-Replayed")).hasValue("true");
        assertThat(count("SELECT count(*) FROM reviews WHERE id = ? AND reported", Integer.parseInt(id))).isEqualTo(1);
        assertThat(AggregateCheck.differences(app.database())).isEmpty();
    }

    @Test
    void anUnknownReviewDoesNotStoreTheKey() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(http.put("/reviews/999999/helpful", "Idempotency-Key", key).status()).isEqualTo(404);
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", key)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256})
    void aKeyOfTheWrongLengthIsABadRequest(int length) throws Exception {
        String key = "k".repeat(length);
        String body = uniqueBody();
        assertErrorNamesTheHeader(http.post("/reviews", review(body), "Idempotency-Key", key), 400);
        assertErrorNamesTheHeader(http.put("/reviews/1/helpful", "Idempotency-Key", key), 400);
        assertThat(count("SELECT count(*) FROM reviews WHERE body = ?", body)).isZero();
    }

    @Test
    void theLongestKeyIsAccepted() {
        assertThat(http.put("/reviews/1/helpful", "Idempotency-Key", "k".repeat(255)).status()).isEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9", "tab\tinside"}) // Jetty itself refuses other control characters
    void aKeyThatIsNotPrintableAsciiIsABadRequest(String key) throws Exception {
        // Raw bytes on a socket: Java's HTTP clients refuse to send some of these header values.
        String request = "PUT /reviews/1/helpful HTTP/1.1\r\nHost: 127.0.0.1\r\nIdempotency-Key: " + key
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        String answer;
        try (Socket socket = new Socket("127.0.0.1", URI.create(app.baseUri()).getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertThat(answer).startsWith("HTTP/1.1 400");
        JsonNode error = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(error.get("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void anExpiredKeyIsFreeAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        assertThat(http.post("/reviews", review(uniqueBody()), "Idempotency-Key", key).status()).isEqualTo(201);
        backdate(key, Duration.ofHours(25));
        String other = uniqueBody();

        Answer reused = http.post("/reviews", review(other), "Idempotency-Key", key);

        assertThat(reused.status()).as(reused.body()).isEqualTo(201);
        assertThat(reused.header("Idempotent-Replayed")).isEmpty();
        assertThat(count("SELECT count(*) FROM reviews WHERE body = ?", other)).isEqualTo(1);
        assertThat(count("SELECT review_id FROM idempotency_keys WHERE idempotency_key = ?", key))
                .isEqualTo(Long.parseLong(reused.header("Review-Id").orElseThrow()));
    }

    @Test
    void pruningDeletesExpiredKeysOnly() throws Exception {
        String old = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        assertThat(http.put("/reviews/4/helpful", "Idempotency-Key", old).status()).isEqualTo(204);
        assertThat(http.put("/reviews/4/helpful", "Idempotency-Key", fresh).status()).isEqualTo(204);
        backdate(old, Duration.ofHours(24).plusMinutes(1));
        var settings = app.database().settings();
        Jdbi jdbi = Jdbi.create(settings.jdbcUrl(), settings.user(), settings.password())
                .installPlugin(new SqlObjectPlugin());
        IdempotencyKeys keys = new IdempotencyKeys(jdbi,
                app.configuration().getIdempotency().getRetention().toJavaDuration(), Duration.ofMinutes(10));

        assertThat(keys.pruneExpired()).isGreaterThanOrEqualTo(1);

        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", old)).isZero();
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", fresh)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE created_at < now() - interval '24 hours'"))
                .isZero();
    }

    private static void backdate(String key, Duration age) throws SQLException {
        try (Connection c = app.database().connect(); Statement s = c.createStatement()) {
            assertThat(s.executeUpdate("UPDATE idempotency_keys SET created_at = now() - interval '" + age.toMinutes()
                    + " minutes' WHERE idempotency_key = '" + key + "'")).isEqualTo(1);
        }
    }
}
