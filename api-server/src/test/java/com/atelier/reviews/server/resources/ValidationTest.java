package com.atelier.reviews.server.resources;

import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every invalid input of the contract answers its 4xx naming the field, and writes nothing. */
class ValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "A perfectly reasonable review body that is comfortably over fifty characters.";
    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("validation");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @ParameterizedTest(name = "GET {0}?product_id={1}")
    @MethodSource("badProductIds")
    void badProductIdAnswersTheLegacy422Text(String path, String productId) {
        var target = app.target(path);
        if (productId != null) {
            target = target.queryParam("product_id", productId);
        }
        try (Response r = target.request().get()) {
            assertThat(r.getStatus()).isEqualTo(422);
            assertThat(r.getMediaType().toString()).startsWith("text/plain");
            assertThat(r.readEntity(String.class)).isEqualTo("Error: invalid product_id provided");
        }
    }

    static Stream<Arguments> badProductIds() {
        return Stream.of("/reviews", "/reviews/meta").flatMap(path -> Stream.of(null, "", "hello", "null", "5.55", "-1",
                "0", "99999999999", "1e3", " 1").map(id -> Arguments.of(path, id)));
    }

    @ParameterizedTest(name = "GET /reviews?{0}={1}")
    @MethodSource("badListParams")
    void badListParameterIs400NamingIt(String name, String value) throws Exception {
        try (Response r = app.target("/reviews").queryParam("product_id", 2).queryParam(name, value).request().get()) {
            assertError(r, 400, name);
        }
    }

    static Stream<Arguments> badListParams() {
        return Stream.of(
                // page=0, count=0 and any sort value are lenient (ReviewsEndpointsTest.LegacyLeniency).
                Arguments.of("page", "-3"), Arguments.of("page", "two"),
                Arguments.of("page", "1000001"), Arguments.of("page", "1.5"), Arguments.of("page", "-0"),
                Arguments.of("count", "-1"), Arguments.of("count", "ten"),
                Arguments.of("count", "1000001"), Arguments.of("count", "99999999999"), Arguments.of("count", " 0"),
                Arguments.of("count", "0x0"));
    }

    @ParameterizedTest(name = "GET /reviews?{0}= means the default")
    @ValueSource(strings = {"page", "count", "sort"})
    void emptyOptionalParameterMeansTheDefault(String name) throws Exception {
        try (Response r = app.target("/reviews").queryParam("product_id", 2).queryParam(name, "").request().get()) {
            assertThat(r.getStatus()).isEqualTo(200);
            JsonNode list = JSON.readTree(r.readEntity(String.class));
            assertThat(list.get("count").asInt()).isEqualTo(5);
            assertThat(list.get("page").asInt()).isZero();
        }
    }

    @ParameterizedTest(name = "POST {0}")
    @MethodSource("badReviews")
    void invalidReviewIs422NamingTheFieldAndWritesNothing(String field, Map<String, Object> body) throws Exception {
        long before = reviewCount();
        try (Response r = app.target("/reviews").request().post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE))) {
            assertError(r, 422, field);
        }
        assertThat(reviewCount()).isEqualTo(before);
    }

    static Stream<Arguments> badReviews() {
        return Stream.of(
                bad("product_id", "product_id", null), bad("product_id", "product_id", 0),
                bad("product_id", "product_id", "abc"), bad("rating", "rating", null), bad("rating", "rating", 0),
                bad("rating", "rating", 6), bad("rating", "rating", 4.5), bad("rating", "rating", "five"),
                bad("summary", "summary", "x".repeat(61)), bad("body", "body", null),
                bad("body", "body", "too short"), bad("body", "body", "x".repeat(1001)),
                bad("body", "body", "nul \u0000 " + BODY), bad("recommend", "recommend", null),
                bad("recommend", "recommend", "maybe"), bad("name", "name", null), bad("name", "name", "  "),
                bad("name", "name", "n".repeat(61)), bad("email", "email", null), bad("email", "email", "not-an-email"),
                bad("email", "email", "a@b"), bad("photos", "photos", List.of("1", "2", "3", "4", "5", "6")),
                bad("photos[0]", "photos", List.of("not a url")), bad("photos[1]", "photos",
                        List.of("https://ok.example/a.jpg", "ftp://files.example/b.jpg")),
                bad("photos", "photos", "https://example.com/a.jpg"),
                bad("characteristics.99", "characteristics", Map.of("99", 3)), // belongs to another product
                bad("characteristics.14", "characteristics", Map.of("14", 6)),
                bad("characteristics.x", "characteristics", Map.of("x", 3)),
                bad("characteristics", "characteristics", List.of(1, 2)),
                bad("unexpected", "unexpected", "field"));
    }

    private static Arguments bad(String field, String key, Object value) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("product_id", 5, "rating", 4, "summary", "Fine",
                "body", BODY, "recommend", true, "name", "val", "email", "val@example.com",
                "photos", List.of(), "characteristics", Map.of("14", 3)));
        body.put(key, value);
        return Arguments.of(field, body);
    }

    @ParameterizedTest(name = "POST body {0}")
    @ValueSource(strings = {"{", "not json", "{\"product_id\": 5,}", "[1, 2]", "42", "{} {}"})
    void malformedJsonIs4xxAndWritesNothing(String raw) throws Exception {
        long before = reviewCount();
        try (Response r = app.target("/reviews").request().post(Entity.entity(raw, MediaType.APPLICATION_JSON_TYPE))) {
            assertThat(r.getStatus()).isBetween(400, 422);
            JsonNode error = JSON.readTree(r.readEntity(String.class));
            assertThat(error.get("message").asText()).isNotBlank();
        }
        assertThat(reviewCount()).isEqualTo(before);
    }

    @ParameterizedTest(name = "PUT /reviews/{0}/helpful")
    @ValueSource(strings = {"abc", "0", "-5", "1.5", "99999999999"})
    void badReviewIdIs400NamingIt(String id) throws Exception {
        for (String action : List.of("helpful", "report")) {
            try (Response r = app.target("/reviews/" + id + "/" + action).request().put(Entity.text(""))) {
                assertError(r, 400, "review_id");
            }
        }
    }

    @ParameterizedTest(name = "POST as {0}")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded"})
    void nonJsonBodyIs415(String type) throws Exception {
        try (Response r = app.target("/reviews").request().post(Entity.entity("product_id=5", type))) {
            assertThat(r.getStatus()).isEqualTo(415);
            assertThat(JSON.readTree(r.readEntity(String.class)).get("message").asText()).contains("application/json");
        }
    }

    private static void assertError(Response r, int status, String field) throws Exception {
        String text = r.readEntity(String.class);
        assertThat(r.getStatus()).as(text).isEqualTo(status);
        assertThat(r.getMediaType().toString()).startsWith("application/json");
        JsonNode error = JSON.readTree(text);
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private static long reviewCount() throws Exception {
        try (Connection c = app.database().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM reviews) + (SELECT count(*) FROM reviews_photos)"
                     + " + (SELECT count(*) FROM characteristic_reviews)")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
