package com.atelier.reviews.server.cors;

import com.atelier.reviews.server.RawHttp;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CORS on a live node, over a socket so every header line is seen as sent: the contract's preflight, answered
 * before the input limits and without reaching the resource or the database; Access-Control-Allow-Origin on
 * answers and on every kind of error (Jersey's mappers, the servlet filters, Jetty's own error handler); and a
 * second node restricted to a list of origins.
 */
class CorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGIN = "http://shop.example:3000";
    private static final String API = "com.atelier.reviews";

    private static RunningApp app;
    private static RunningApp restricted;
    private static RawHttp http;
    private static RawHttp restrictedHttp;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("cors");
        restricted = RunningApp.start(app.database(),
                ConfigOverride.config("cors.allowedOrigins", "https://shop.example, https://*.atelier.example"),
                ConfigOverride.config("cors.preflightMaxAge", "10m"));
        http = new RawHttp("127.0.0.1", URI.create(app.baseUri()).getPort());
        restrictedHttp = new RawHttp("127.0.0.1", URI.create(restricted.baseUri()).getPort());
    }

    @AfterAll
    static void stop() {
        if (restricted != null) {
            restricted.stop();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void anAnswerEchoesTheOriginAndExposesTheContractsHeaders() throws Exception {
        RawHttp.Response r = http.send(request("GET", "/reviews?product_id=2", "Origin: " + ORIGIN,
                "Authorization: Bearer front-end-token"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("results")).isNotEmpty();
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(list(r.header("Access-Control-Expose-Headers")))
                .containsExactlyInAnyOrder("Location", "Review-Id", "Idempotent-Replayed", "Retry-After");
        assertThat(list(r.header("Vary"))).contains("Origin");
        assertThat(r.header("Access-Control-Allow-Credentials")).as("no credentials mode").isNull();
        assertEachCorsHeaderOnce(r);
    }

    @Test
    void aRequestWithoutOriginGetsNoCorsHeaders() {
        RawHttp.Response r = http.send(request("GET", "/reviews/meta?product_id=2"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.headers().keySet()).noneMatch(h -> h.startsWith("access-control-"));
    }

    @Test
    void aWriteFromTheBrowserCanReadItsHeaders() throws Exception {
        byte[] review = JSON.writeValueAsBytes(Map.of("product_id", 2, "rating", 5, "body",
                "Written in a browser on another origin, with a JSON body and an Idempotency-Key header.",
                "recommend", true, "name", "cors", "email", "cors@example.com"));
        RawHttp.Response r = http.send(request("POST", "/reviews", review, "Origin: " + ORIGIN,
                "Content-Type: application/json", "Idempotency-Key: cors-test-1"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(r.header("Review-Id")).isNotBlank();
        assertThat(r.header("Location")).isNotBlank();
        assertEachCorsHeaderOnce(r);
    }

    static Stream<String> preflightTargets() {
        return Stream.of("PUT /reviews/5/helpful", "PUT /reviews/5/report", "POST /reviews",
                "GET /reviews?product_id=2", "GET /reviews/meta?product_id=2",
                "GET /reviews/?product_id=2&sort=relevant&count=0",
                // refused by the parameter rules if they ran: a preflight never reaches them
                "GET /reviews?product_id=abc&product_id=2", "PUT /reviews/abc/helpful");
    }

    @ParameterizedTest(name = "preflight for {0}")
    @MethodSource("preflightTargets")
    void aPreflightIsAnsweredBeforeTheInputLimitsWithoutReachingTheResourceOrTheDatabase(String target)
            throws Exception {
        String[] parts = target.split(" ", 2);
        long calls = resourceAndDaoCalls();
        int helpfulness = helpfulness(5);
        RawHttp.Response r = http.send(request("OPTIONS", parts[1], "Origin: " + ORIGIN,
                "Access-Control-Request-Method: " + parts[0],
                "Access-Control-Request-Headers: authorization,content-type,idempotency-key"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(list(r.header("Access-Control-Allow-Methods")))
                .containsExactlyInAnyOrder("GET", "POST", "PUT", "OPTIONS");
        assertThat(list(r.header("Access-Control-Allow-Headers")).stream().map(String::toLowerCase))
                .contains("authorization", "content-type", "idempotency-key");
        assertThat(r.header("Access-Control-Max-Age")).isEqualTo("3600");
        assertThat(r.header("Allow")).as("answered by the CORS filter, not by Jersey's OPTIONS").isNull();
        assertEachCorsHeaderOnce(r);
        assertThat(resourceAndDaoCalls()).as("no resource method or DAO ran").isEqualTo(calls);
        assertThat(helpfulness(5)).isEqualTo(helpfulness);
    }

    @Test
    void aPreflightForAnotherMethodOrHeaderIsNotAllowed() {
        for (String[] ask : List.of(new String[] {"DELETE", "content-type"}, new String[] {"PATCH", "content-type"},
                new String[] {"PUT", "x-secret-header"})) {
            RawHttp.Response r = http.send(request("OPTIONS", "/reviews/5/helpful", "Origin: " + ORIGIN,
                    "Access-Control-Request-Method: " + ask[0], "Access-Control-Request-Headers: " + ask[1]));
            assertThat(r.header("Access-Control-Allow-Origin")).as("%s with %s: %s", ask[0], ask[1], r).isNull();
            assertThat(r.header("Access-Control-Allow-Methods")).isNull();
        }
    }

    /** Each kind of error, with who answers it; the browser can read them all. */
    static Stream<Object[]> errors() {
        byte[] big = new byte[70_000];
        Arrays.fill(big, (byte) ' ');
        return Stream.of(
                new Object[] {"legacy 422 (resource)", 422, request("GET", "/reviews?product_id=abc", "Origin: " + ORIGIN)},
                new Object[] {"400 duplicate (Jersey filter)", 400,
                        request("GET", "/reviews?product_id=2&count=1&count=2", "Origin: " + ORIGIN)},
                new Object[] {"404 unknown review (mapper)", 404,
                        request("PUT", "/reviews/999999/helpful", "Origin: " + ORIGIN)},
                new Object[] {"404 unknown path", 404, request("GET", "/nope", "Origin: " + ORIGIN)},
                new Object[] {"405 wrong method (Jersey)", 405, request("DELETE", "/reviews/meta?product_id=2",
                        "Origin: " + ORIGIN)},
                new Object[] {"405 TRACE (Dropwizard's method filter, Jetty's error handler)", 405,
                        request("TRACE", "/reviews", "Origin: " + ORIGIN)},
                new Object[] {"413 body limit (servlet filter)", 413, request("POST", "/reviews", big,
                        "Origin: " + ORIGIN, "Content-Type: application/json")},
                new Object[] {"415 not JSON", 415, request("POST", "/reviews", "x".getBytes(StandardCharsets.UTF_8),
                        "Origin: " + ORIGIN, "Content-Type: text/plain")},
                new Object[] {"415 not a media type (servlet filter)", 415, request("GET", "/reviews?product_id=2",
                        "Origin: " + ORIGIN, "Content-Type: garbage")},
                new Object[] {"400 ambiguous path (Jetty)", 400, request("PUT", "/reviews/%2e%2e/helpful",
                        "Origin: " + ORIGIN)},
                new Object[] {"431 headers too large (Jetty's parser: \"*\")", 431, request("GET",
                        "/reviews?product_id=2", "Origin: " + ORIGIN, "Authorization: Bearer " + "t".repeat(9000))});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void everyErrorCarriesAccessControlAllowOrigin(String name, int status, byte[] request) throws Exception {
        RawHttp.Response r = http.send(request);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Access-Control-Allow-Origin")).as(r.toString()).isIn(ORIGIN, "*");
        if (status != 422) {
            JsonNode error = JSON.readTree(r.body());
            assertThat(error.get("code").asInt()).isEqualTo(status);
        }
        assertEachCorsHeaderOnce(r);
    }

    @Test
    void aNodeRestrictedToSomeOriginsAnswersOnlyThose() {
        for (String allowed : List.of("https://shop.example", "https://eu.atelier.example")) {
            RawHttp.Response r = restrictedHttp.send(request("GET", "/reviews?product_id=2", "Origin: " + allowed));
            assertThat(r.header("Access-Control-Allow-Origin")).as(allowed).isEqualTo(allowed);
            RawHttp.Response preflight = restrictedHttp.send(request("OPTIONS", "/reviews/5/helpful",
                    "Origin: " + allowed, "Access-Control-Request-Method: PUT"));
            assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(allowed);
            assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
        }
        for (String other : List.of("https://evil.example", "http://shop.example", "https://shop.example.evil")) {
            RawHttp.Response r = restrictedHttp.send(request("GET", "/reviews?product_id=2", "Origin: " + other));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Access-Control-Allow-Origin")).as(other).isNull();
            RawHttp.Response preflight = restrictedHttp.send(request("OPTIONS", "/reviews/5/helpful",
                    "Origin: " + other, "Access-Control-Request-Method: PUT"));
            assertThat(preflight.header("Access-Control-Allow-Origin")).as(other).isNull();
        }
        RawHttp.Response unparsed = restrictedHttp.send(request("GET", "/reviews?product_id=2",
                "Origin: https://evil.example", "X-Filler: " + "a".repeat(9000)));
        assertThat(unparsed.status()).isEqualTo(431);
        assertThat(unparsed.header("Access-Control-Allow-Origin")).as("no \"*\" when origins are restricted").isNull();
    }

    private static void assertEachCorsHeaderOnce(RawHttp.Response r) {
        for (String name : List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Access-Control-Max-Age")) {
            assertThat(r.headerCount(name)).as("%s lines in %s", name, r.headerLines()).isLessThanOrEqualTo(1);
        }
    }

    private static Set<String> list(String header) {
        assertThat(header).isNotNull();
        return Arrays.stream(header.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    /** Calls of the resource's operations and of the DAOs, from their timers on the admin port. */
    private static long resourceAndDaoCalls() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(app.adminUri() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        long calls = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = JSON.readTree(metrics.body()).get("timers").fields();
             it.hasNext(); ) {
            Map.Entry<String, JsonNode> timer = it.next();
            if (timer.getKey().startsWith(API)) {
                calls += timer.getValue().get("count").asLong();
            }
        }
        return calls;
    }

    private static int helpfulness(int reviewId) throws Exception {
        try (Connection c = app.database().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT helpfulness FROM reviews WHERE id = " + reviewId)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static byte[] request(String method, String target, String... headers) {
        return request(method, target, null, headers);
    }

    private static byte[] request(String method, String target, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return start;
        }
        byte[] all = Arrays.copyOf(start, start.length + body.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }
}
