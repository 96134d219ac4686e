package com.atelier.reviews.server.auth;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API keys on two nodes sharing one database, with {@code auth.required}: keys made by the real commands, the
 * imported legacy token on all five legacy endpoints in both header forms, 401/403/429 in the contract's shape,
 * refused writes that leave nothing behind, a revocation seen by both nodes, reports counted once per key, per-key
 * metrics named after the key's name, and no key in any log line or metric name.
 */
class AuthTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a legacy front end already sends (a made-up value: no real token is in the repository). */
    private static final String FRONTEND_TOKEN = "legacy-frontend-token-5f0c6e1e9a7b4d3c";
    private static final String BODY = """
            {"product_id": 2, "rating": 4, "summary": "keyed", "recommend": true, "name": "auth", "email": "a@example.com",
             "body": "Written with an API key to prove that the imported token works for writes too."}""";

    private static RunningApp nodeA;
    private static RunningApp nodeB;
    private static RunningApp limited;
    private static ScratchDatabase db;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> SECRETS = new ArrayList<>();
    private static ListAppender<ILoggingEvent> logs;
    private static String reader;
    private static String moderator;

    @BeforeAll
    static void start() {
        nodeA = RunningApp.withSampleData("auth", ConfigOverride.config("auth.required", "true"),
                ConfigOverride.config("auth.lastUsedFlushInterval", "1s"));
        db = nodeA.database();
        nodeB = RunningApp.start(db, ConfigOverride.config("auth.required", "true"));
        limited = RunningApp.start(db, ConfigOverride.config("auth.required", "true"),
                ConfigOverride.config("auth.rateLimitPerSecond", "1"), ConfigOverride.config("auth.rateLimitBurst", "2"));
        reader = Keys.create(db, "reader", "read");
        moderator = Keys.create(db, "moderator", "read,moderate");
        Keys.Result imported = Keys.run(db, FRONTEND_TOKEN, "keys-import", "--name", "frontend", "--scopes", "read,write");
        assertThat(imported.failure()).isEmpty();
        SECRETS.addAll(List.of(FRONTEND_TOKEN, reader, moderator));
        captureLogs(); // after the commands, which reconfigure logging
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (ILoggingEvent e : logs.list) {
                for (String secret : SECRETS) {
                    assertThat(e.getFormattedMessage()).as("a log line holds a key").doesNotContain(secret);
                }
            }
            String metrics = get(nodeA.adminUri() + "/metrics", null).body();
            for (String secret : SECRETS) {
                assertThat(metrics).as("a metric name holds a key").doesNotContain(secret);
            }
        } finally {
            limited.stop();
            nodeB.stop();
            nodeA.close();
        }
    }

    @Test
    void keysAreRandomAndStoredOnlyAsHashes() throws SQLException {
        assertThat(reader).startsWith("atr_").hasSizeGreaterThanOrEqualTo(4 + 43); // 256 bits in base64url
        assertThat(reader).isNotEqualTo(moderator);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(name || ' ' || encode(key_hash, 'hex') || ' '"
                     + " || array_to_string(scopes, ','), '|') FROM api_keys")) {
            rs.next();
            String stored = rs.getString(1);
            for (String secret : SECRETS) {
                assertThat(stored).doesNotContain(secret);
            }
            assertThat(stored).contains("frontend").contains("read,write").contains("moderator");
        }
        Keys.Result list = Keys.run(db, null, "keys-list");
        assertThat(list.out()).contains("frontend").contains("reader").contains("moderator");
        for (String secret : SECRETS) {
            assertThat(list.out()).doesNotContain(secret);
        }
        captureLogs();
    }

    @Test
    void theImportedTokenWorksUnchangedOnAllFiveLegacyEndpoints() throws Exception {
        for (String header : List.of(FRONTEND_TOKEN, "Bearer " + FRONTEND_TOKEN)) {
            for (RunningApp node : List.of(nodeA, nodeB)) {
                assertThat(get(node.baseUri() + "/reviews?product_id=2", header).statusCode()).isEqualTo(200);
                assertThat(get(node.baseUri() + "/reviews/meta?product_id=2", header).statusCode()).isEqualTo(200);
            }
        }
        HttpResponse<String> created = send("POST", nodeA.baseUri() + "/reviews", FRONTEND_TOKEN, BODY);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = created.headers().firstValue("Review-Id").orElseThrow();
        assertThat(send("PUT", nodeB.baseUri() + "/reviews/" + id + "/helpful", FRONTEND_TOKEN, null).statusCode())
                .isEqualTo(204);
        assertThat(send("PUT", nodeB.baseUri() + "/reviews/" + id + "/report", "Bearer " + FRONTEND_TOKEN, null)
                .statusCode()).isEqualTo(204);
        assertThat(AggregateCheck.differences(db)).isEmpty();
    }

    @Test
    void writesWithoutAValidKeyAre401AndLeaveNothingBehind() throws Exception {
        String before = tables();
        for (String header : new String[]{null, "", "Bearer ", "not-a-key", "Bearer atr_unknownunknownunknownunknown",
                "Basic " + FRONTEND_TOKEN}) {
            for (HttpResponse<String> r : List.of(
                    send("POST", nodeA.baseUri() + "/reviews", header, BODY),
                    send("PUT", nodeA.baseUri() + "/reviews/5/helpful", header, null),
                    send("PUT", nodeB.baseUri() + "/reviews/5/report", header, null),
                    send("PUT", nodeB.baseUri() + "/moderation/reviews/5/restore", header, null),
                    get(nodeA.baseUri() + "/reviews?product_id=2", header))) {
                assertError(r, 401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(AccessGate.REALM);
            }
        }
        assertThat(tables()).as("nothing was written").isEqualTo(before);
    }

    @Test
    void aKeyWithoutTheScopeIs403() throws Exception {
        String before = tables();
        assertError(send("POST", nodeA.baseUri() + "/reviews", reader, BODY), 403);
        assertError(send("PUT", nodeA.baseUri() + "/reviews/5/helpful", "Bearer " + reader, null), 403);
        assertError(get(nodeA.baseUri() + "/moderation/reports", FRONTEND_TOKEN), 403);
        assertError(send("PUT", nodeB.baseUri() + "/moderation/reviews/5/remove", FRONTEND_TOKEN, null), 403);
        assertError(send("PUT", nodeB.baseUri() + "/reviews/5/report", moderator, null), 403);
        assertThat(tables()).isEqualTo(before);
        assertThat(get(nodeA.baseUri() + "/moderation/reports", moderator).statusCode()).isEqualTo(200);
        assertThat(get(nodeA.baseUri() + "/reviews/meta?product_id=2", reader).statusCode()).isEqualTo(200);
    }

    @Test
    void preflightsAndTheHealthCheckNeedNoKey() throws Exception {
        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(nodeA.baseUri() + "/reviews"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
        assertThat(get(nodeA.baseUri() + "/health-check", null).statusCode()).isEqualTo(200);
        // A browser's 401 carries the CORS header too, so the page can read it.
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(nodeA.baseUri()
                + "/reviews?product_id=2")).header("Origin", "http://localhost:3000").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
    }

    @Test
    void aRevokedKeyIsRefusedByEveryNodeWhenTheCommandReturns() throws Exception {
        String temp = Keys.create(db, "temporary", "read");
        SECRETS.add(temp);
        for (RunningApp node : List.of(nodeA, nodeB)) {
            assertThat(get(node.baseUri() + "/reviews/meta?product_id=2", "Bearer " + temp).statusCode()).isEqualTo(200);
        }
        long started = System.nanoTime();
        Keys.Result revoked = Keys.run(db, null, "keys-revoke", "--name", "temporary");
        assertThat(revoked.failure()).isEmpty();
        for (RunningApp node : List.of(nodeA, nodeB)) {
            assertError(get(node.baseUri() + "/reviews/meta?product_id=2", "Bearer " + temp), 401);
            assertError(get(node.baseUri() + "/reviews/meta?product_id=2", temp), 401);
        }
        // How soon after the revocation committed the nodes refused it (the command waits 1 s before returning).
        String again = Keys.create(db, "temporary", "read");
        SECRETS.add(again);
        Keys.run(db, null, "keys-revoke", "--name", "temporary");
        assertThat(Keys.run(db, null, "keys-revoke", "--name", "temporary").err()).contains("no key named");
        System.out.println("revocation round trip through both nodes: " + (System.nanoTime() - started) / 1_000_000
                + " ms (including three commands' 1 s settle)");
        captureLogs();
    }

    @Test
    void reportsRecordTheKeyAndTheSameKeyCountsOnce() throws Exception {
        String writer2 = Keys.create(db, "second-frontend", "read,write");
        SECRETS.add(writer2);
        captureLogs();
        HttpResponse<String> created = send("POST", nodeA.baseUri() + "/reviews", FRONTEND_TOKEN, BODY);
        String id = created.headers().firstValue("Review-Id").orElseThrow();
        for (String key : List.of(FRONTEND_TOKEN, "Bearer " + FRONTEND_TOKEN, writer2, writer2)) {
            assertThat(send("PUT", nodeB.baseUri() + "/reviews/" + id + "/report", key, null).statusCode()).isEqualTo(204);
        }
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT string_agg(reporter, ',' ORDER BY reporter) FROM review_reports"
                     + " WHERE review_id = " + id)) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("frontend,second-frontend");
        }
        JsonNode queue = JSON.readTree(get(nodeA.baseUri() + "/moderation/reports?count=1000", moderator).body());
        JsonNode entry = null;
        for (JsonNode r : queue.get("results")) {
            if (r.get("review_id").asText().equals(id)) {
                entry = r;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.get("reports").asInt()).isEqualTo(2);
        assertThat(AggregateCheck.differences(db)).isEmpty();
        // Audited as the moderator's key.
        assertThat(send("PUT", nodeB.baseUri() + "/moderation/reviews/" + id + "/restore", moderator, null).statusCode())
                .isEqualTo(204);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key_name, action FROM moderation_audit WHERE review_id = " + id)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("moderator");
            assertThat(rs.getString(2)).isEqualTo("restore");
        }
    }

    @Test
    void aKeyOverItsRateIs429WithRetryAfterAndCountedUnderItsName() throws Exception {
        int limitedCount = 0;
        int sent = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 10; i++) {
            last = get(limited.baseUri() + "/reviews/meta?product_id=2", reader);
            sent++;
            if (last.statusCode() == 429) {
                limitedCount++;
                break;
            }
            assertThat(last.statusCode()).isEqualTo(200);
        }
        assertThat(limitedCount).as("a burst of 2 at 1/s runs out within 10 requests").isEqualTo(1);
        assertError(last, 429);
        assertThat(Integer.parseInt(last.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
        JsonNode meters = JSON.readTree(get(limited.adminUri() + "/metrics", null).body()).get("meters");
        assertThat(meters.get("auth.keys.reader.429").get("count").asLong()).isEqualTo(1);
        assertThat(meters.get("auth.keys.reader.4xx").get("count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(meters.get("auth.keys.reader.requests").get("count").asLong())
                .as("hits and misses, served or refused: each request counted once").isEqualTo(sent);
    }

    @Test
    void lastUsedIsRecordedInTheBackground() throws Exception {
        assertThat(get(nodeA.baseUri() + "/reviews/meta?product_id=2", moderator).statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean recorded = false;
        while (!recorded && System.nanoTime() < deadline) {
            try (Connection c = db.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT last_used_at IS NOT NULL FROM api_keys WHERE name = 'moderator'")) {
                rs.next();
                recorded = rs.getBoolean(1);
            }
            Thread.sleep(100);
        }
        assertThat(recorded).as("node A flushes last-used times every second").isTrue();
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void captureLogs() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = logs == null ? new ListAppender<>() : logs;
        appender.setContext(context);
        appender.start();
        root.detachAppender(appender);
        root.addAppender(appender);
        logs = appender;
    }

    private static void assertError(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("field").asText()).isEqualTo("Authorization");
        assertThat(error.get("message").asText()).isNotBlank();
        for (String secret : SECRETS) {
            assertThat(r.body()).doesNotContain(secret);
        }
    }

    private static String tables() throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String table : List.of("reviews", "reviews_photos", "characteristic_reviews", "product_review_stats",
                    "characteristic_stats", "review_reports", "moderation_audit", "idempotency_keys")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY "
                        + "t::text), '')) FROM " + table + " t")) {
                    rs.next();
                    sb.append(table).append('=').append(rs.getLong(1)).append(':').append(rs.getString(2)).append(' ');
                }
            }
        }
        return sb.toString();
    }

    static HttpResponse<String> get(String url, String authorization) throws Exception {
        return send("GET", url, authorization, null);
    }

    static HttpResponse<String> send(String method, String url, String authorization, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
