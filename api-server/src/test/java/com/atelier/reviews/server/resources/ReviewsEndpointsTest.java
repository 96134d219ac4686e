package com.atelier.reviews.server.resources;

import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.server.Http;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The five endpoints over HTTP against the real sample rows, checked to the byte where the legacy shape matters. */
class ReviewsEndpointsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("endpoints");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String get(String path, Map<String, Object> query) {
        var target = app.target(path);
        for (var e : query.entrySet()) {
            target = target.queryParam(e.getKey(), e.getValue());
        }
        try (Response r = target.request().get()) {
            assertThat(r.getStatus()).as("GET %s %s", path, query).isEqualTo(200);
            assertThat(r.getMediaType().toString()).startsWith("application/json");
            return r.readEntity(String.class);
        }
    }

    static JsonNode json(String path, Map<String, Object> query) throws Exception {
        return JSON.readTree(get(path, query));
    }

    static List<Integer> ids(JsonNode list) {
        List<Integer> ids = new ArrayList<>();
        list.get("results").forEach(r -> ids.add(r.get("review_id").asInt()));
        return ids;
    }

    @Nested
    class ListReviews {

        @Test
        void answersTheLegacyShapeByteForByte() {
            assertThat(get("/reviews", Map.of("product_id", 1, "sort", "newest"))).isEqualTo("""
                    {"product":"1","page":0,"count":5,"results":[\
                    {"review_id":2,"rating":4,"summary":"This product was ok!","recommend":false,"response":null,\
                    "body":"I really did not like this product solely because I am tiny and do not fit into it.",\
                    "date":"2021-01-09T00:00:00.000Z","reviewer_name":"mymainstreammother","helpfulness":2,"photos":[]},\
                    {"review_id":1,"rating":5,"summary":"This product was great!","recommend":true,"response":null,\
                    "body":"I really did or did not like this product based on whether it was sustainably sourced.  \
                    Then I found out that its made from nothing at all.",\
                    "date":"2020-07-30T00:00:00.000Z","reviewer_name":"funtime","helpfulness":8,"photos":[]}]}""");
        }

        @Test
        void rendersResponsesAndPhotosInIdOrder() throws Exception {
            JsonNode list = json("/reviews", Map.of("product_id", 2, "sort", "newest", "count", 10));
            assertThat(ids(list)).containsExactly(5, 7, 3, 4, 6);
            JsonNode five = list.get("results").get(0);
            assertThat(five.get("date").asText()).isEqualTo("2021-03-17T00:00:00.000Z");
            assertThat(five.get("photos")).hasSize(3);
            assertThat(five.get("photos").get(0).get("id").asInt()).isEqualTo(1);
            assertThat(five.get("photos").get(0).get("url").asText())
                    .startsWith("https://images.unsplash.com/photo-1560570803-7474c0f9af99");
            JsonNode three = list.get("results").get(2);
            assertThat(three.get("response").asText()).isEqualTo("Glad you're enjoying the product!");
            assertThat(list.get("count").asInt()).isEqualTo(10);
            assertThat(list.get("product").isTextual()).isTrue();
        }

        @Test
        void sortsByHelpfulnessThenDateThenId() throws Exception {
            // helpfulness: 3 -> 5, 5 -> 5, 4 -> 1, 6 -> 0, 7 -> 0; 5 is newer than 3, 7 newer than 6
            assertThat(ids(json("/reviews", Map.of("product_id", 2, "sort", "helpful", "count", 10))))
                    .containsExactly(5, 3, 4, 7, 6);
        }

        @Test
        void relevantBlendsHelpfulnessAndRecency() throws Exception {
            // score = log2(1 + helpfulness) + years since 1970: 5 (2021.2 + 2.58) > 3 (2020.99 + 2.58)
            // > 4 (2020.5 + 1) > 7 (2021.0 + 0) > 6 (2020.5 + 0)
            assertThat(ids(json("/reviews", Map.of("product_id", 2, "count", 10)))).containsExactly(5, 3, 4, 7, 6);
            assertThat(ids(json("/reviews", Map.of("product_id", 2, "sort", "relevant", "count", 10))))
                    .containsExactly(5, 3, 4, 7, 6);
        }

        @Test
        void pagesAreStableAndReportTheLegacyOffset() throws Exception {
            JsonNode first = json("/reviews", Map.of("product_id", 2, "sort", "newest", "count", 2, "page", 1));
            JsonNode second = json("/reviews", Map.of("product_id", 2, "sort", "newest", "count", 2, "page", 2));
            JsonNode third = json("/reviews", Map.of("product_id", 2, "sort", "newest", "count", 2, "page", 3));
            JsonNode beyond = json("/reviews", Map.of("product_id", 2, "sort", "newest", "count", 2, "page", 4));
            assertThat(ids(first)).containsExactly(5, 7);
            assertThat(ids(second)).containsExactly(3, 4);
            assertThat(ids(third)).containsExactly(6);
            assertThat(ids(beyond)).isEmpty();
            assertThat(first.get("page").asInt()).isZero();
            assertThat(second.get("page").asInt()).isEqualTo(2);
            assertThat(third.get("page").asInt()).isEqualTo(4);
        }

        @Test
        void neverListsReportedReviews() throws Exception {
            // review 14 of product 7 is reported in the client's data
            assertThat(ids(json("/reviews", Map.of("product_id", 7, "count", 100)))).containsExactly(13);
            assertThat(ids(json("/reviews", Map.of("product_id", 1000011, "count", 100)))).doesNotContain(5774950);
        }

        @Test
        void unknownProductHasNoReviews() throws Exception {
            JsonNode list = json("/reviews", Map.of("product_id", 999_999_999));
            assertThat(list.get("results")).isEmpty();
            assertThat(list.get("product").asText()).isEqualTo("999999999");
        }

        @Test
        void legacyFrontEndsAskForAMillion() throws Exception {
            JsonNode list = json("/reviews", Map.of("product_id", 1000011, "count", 1_000_000));
            assertThat(list.get("count").asInt()).isEqualTo(1_000_000);
            assertThat(list.get("results")).hasSize(12); // 13 in the sample, one reported
        }
    }

    @Nested
    class Meta {

        @Test
        void answersTheLegacyShapeByteForByte() {
            assertThat(get("/reviews/meta", Map.of("product_id", 1))).isEqualTo("""
                    {"product_id":"1","ratings":{"4":"1","5":"1"},"recommended":{"false":"1","true":"1"},\
                    "characteristics":{"Fit":{"id":1,"value":"4.0000000000000000"},\
                    "Length":{"id":2,"value":"3.5000000000000000"},"Comfort":{"id":3,"value":"5.0000000000000000"},\
                    "Quality":{"id":4,"value":"4.0000000000000000"}}}""");
        }

        @Test
        void matchesPostgresAvgOverTheRawRows() throws Exception {
            JsonNode meta = json("/reviews/meta", Map.of("product_id", 1000011));
            try (Connection c = app.database().connect(); Statement s = c.createStatement()) {
                ResultSet rs = s.executeQuery("""
                        SELECT ch.name, ch.id, avg(cr.value)::text
                          FROM characteristics ch
                          JOIN characteristic_reviews cr ON cr.characteristic_id = ch.id
                          JOIN reviews r ON r.id = cr.review_id AND NOT r.reported
                         WHERE ch.product_id = 1000011 GROUP BY ch.id, ch.name""");
                int seen = 0;
                while (rs.next()) {
                    seen++;
                    JsonNode ch = meta.get("characteristics").get(rs.getString(1));
                    assertThat(ch.get("id").asInt()).isEqualTo(rs.getInt(2));
                    assertThat(ch.get("value").asText()).isEqualTo(rs.getString(3));
                }
                assertThat(seen).isEqualTo(4);
                rs = s.executeQuery("SELECT rating::text, count(*)::text FROM reviews"
                        + " WHERE product_id = 1000011 AND NOT reported GROUP BY rating");
                int ratings = 0;
                while (rs.next()) {
                    ratings++;
                    assertThat(meta.get("ratings").get(rs.getString(1)).asText()).isEqualTo(rs.getString(2));
                }
                assertThat(meta.get("ratings")).hasSize(ratings);
            }
        }

        @Test
        void characteristicNobodyRatedIsNullAndUnknownProductIsEmpty() throws Exception {
            JsonNode meta = json("/reviews/meta", Map.of("product_id", 6)); // characteristics, no reviews
            assertThat(meta.get("ratings")).isEmpty();
            assertThat(meta.get("recommended")).isEmpty();
            assertThat(meta.get("characteristics").get("Size").get("value").isNull()).isTrue();
            assertThat(get("/reviews/meta", Map.of("product_id", 424242))).isEqualTo(
                    "{\"product_id\":\"424242\",\"ratings\":{},\"recommended\":{},\"characteristics\":{}}");
        }
    }

    /** What real front ends send, which the legacy API answered (openapi.yaml, "Legacy leniency"). */
    @Nested
    class LegacyLeniency {

        private JsonNode raw(String pathAndQuery) throws Exception {
            try (Http http = new Http(app.baseUri())) {
                Http.Answer answer = http.get(pathAndQuery);
                assertThat(answer.status()).as("GET %s: %s", pathAndQuery, answer.body()).isEqualTo(200);
                assertThat(answer.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
                return JSON.readTree(answer.body());
            }
        }

        @Test
        void countZeroAfterSwitchingProductsIsTheDefaultFive() throws Exception {
            JsonNode list = raw("/reviews/?product_id=2&sort=relevant&count=0");
            assertThat(list.get("count").asInt()).isEqualTo(5);
            assertThat(list.get("page").asInt()).isZero();
            assertThat(list.get("product").asText()).isEqualTo("2");
            assertThat(list).isEqualTo(json("/reviews", Map.of("product_id", 2, "sort", "relevant", "count", 5)));
            assertThat(ids(list)).hasSize(5).containsExactlyElementsOf(
                    ids(json("/reviews", Map.of("product_id", 2, "count", 10))).subList(0, 5));
        }

        @Test
        void pageZeroIsTheFirstPage() throws Exception {
            assertThat(raw("/reviews?product_id=2&sort=newest&count=2&page=0"))
                    .isEqualTo(json("/reviews", Map.of("product_id", 2, "sort", "newest", "count", 2, "page", 1)));
        }

        @Test
        void eachSpellingOfAnOrderInAnyCaseIsThatOrder() throws Exception {
            Map<String, String> spellings = Map.of("new", "newest", "NEWEST", "newest", "Newest", "newest",
                    "helpfulness", "helpful", "HELPFUL", "helpful", "HelpFulness", "helpful",
                    "relevance", "relevant", "RELEVANT", "relevant", "Relevance", "relevant");
            for (var e : spellings.entrySet()) {
                assertThat(ids(raw("/reviews?product_id=2&count=10&sort=" + e.getKey())))
                        .as("sort=%s", e.getKey())
                        .containsExactlyElementsOf(ids(json("/reviews", Map.of("product_id", 2, "count", 10,
                                "sort", e.getValue()))));
            }
            // the three orders differ on product 2, so each spelling really picked its own
            assertThat(ids(raw("/reviews?product_id=2&count=10&sort=NEW"))).containsExactly(5, 7, 3, 4, 6);
            assertThat(ids(raw("/reviews?product_id=2&count=10&sort=Helpfulness"))).containsExactly(5, 3, 4, 7, 6);
        }

        @Test
        void anUnrecognisedSortIsTheDefaultOrder() throws Exception {
            for (String sort : List.of("oldest", "rating", "date", "newest%20", "%27%3B--", "")) {
                assertThat(ids(raw("/reviews?product_id=2&count=10&sort=" + sort))).as("sort=%s", sort)
                        .containsExactly(5, 3, 4, 7, 6);
            }
        }

        @Test
        void theReviewJustPostedIsListedWithTheFrontEndsOwnSortLabel() throws Exception {
            String review = JSON.writeValueAsString(Map.of("product_id", 8, "rating", 4, "summary", "Just posted",
                    "body", "Posted without touching the sort dropdown, and it must show up in the list right away.",
                    "recommend", true, "name", "fresh", "email", "fresh@example.com"));
            int id;
            try (Http http = new Http(app.baseUri())) {
                Http.Answer created = http.post("/reviews", review);
                assertThat(created.status()).isEqualTo(201);
                id = Integer.parseInt(created.header("Review-Id").orElseThrow());
            }
            JsonNode list = raw("/reviews/?product_id=8&sort=relevance&count=7");
            assertThat(list.get("count").asInt()).isEqualTo(7);
            assertThat(ids(list)).contains(id);
            assertThat(list.get("results").get(ids(list).indexOf(id)).get("summary").asText()).isEqualTo("Just posted");
        }
    }

    @Nested
    class Writes {

        private static final String BODY = "These fit well and the fabric feels sturdy after several washes so far.";

        private Response post(Object body) {
            return app.target("/reviews").request().post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));
        }

        @Test
        void postedReviewIsListedAndCountedExactly() throws Exception {
            JsonNode before = json("/reviews/meta", Map.of("product_id", 4));
            try (Response r = post(Map.of("product_id", 4, "rating", 2, "summary", "Runs small", "body", BODY,
                    "recommend", false, "name", "tester", "email", "tester@example.com",
                    "photos", List.of("https://example.com/a.jpg", "https://example.com/b.jpg"),
                    "characteristics", Map.of("10", 1, "11", 5, "12", 3, "13", 4)))) {
                assertThat(r.getStatus()).isEqualTo(201);
                assertThat(r.readEntity(String.class)).isEqualTo("Created");
                assertThat(r.getMediaType().toString()).startsWith("text/plain");
            }
            JsonNode list = json("/reviews", Map.of("product_id", 4, "sort", "newest"));
            JsonNode newest = list.get("results").get(0);
            assertThat(newest.get("summary").asText()).isEqualTo("Runs small");
            assertThat(newest.get("helpfulness").asInt()).isZero();
            assertThat(newest.get("response").isNull()).isTrue();
            assertThat(newest.get("photos")).hasSize(2);
            assertThat(newest.get("photos").get(1).get("url").asText()).isEqualTo("https://example.com/b.jpg");

            JsonNode after = json("/reviews/meta", Map.of("product_id", 4));
            int before2 = before.get("ratings").has("2") ? before.get("ratings").get("2").asInt() : 0;
            assertThat(after.get("ratings").get("2").asInt()).isEqualTo(before2 + 1);
            assertThat(after.get("recommended").get("false").asInt())
                    .isEqualTo(before.get("recommended").get("false").asInt() + 1);
            assertThat(AggregateCheck.differences(app.database())).isEmpty();
        }

        @Test
        void summaryAndPhotosAndCharacteristicsAreOptional() throws Exception {
            try (Response r = post(Map.of("product_id", 123456, "rating", 5, "body", BODY, "recommend", true,
                    "name", "minimal", "email", "minimal@example.com"))) {
                assertThat(r.getStatus()).isEqualTo(201);
            }
            JsonNode list = json("/reviews", Map.of("product_id", 123456));
            assertThat(list.get("results").get(0).get("summary").asText()).isEmpty();
            assertThat(list.get("results").get(0).get("photos")).isEmpty();
            assertThat(AggregateCheck.differences(app.database())).isEmpty();
        }

        @Test
        void helpfulAddsOneAndIsVisibleAtOnce() throws Exception {
            int before = json("/reviews", Map.of("product_id", 5, "count", 10)).get("results").findValues("review_id")
                    .indexOf(JSON.getNodeFactory().numberNode(11));
            assertThat(before).isNotNegative();
            int helpfulness = helpfulnessOf(5, 11);
            try (Response r = app.target("/reviews/11/helpful").request().put(Entity.text(""))) {
                assertThat(r.getStatus()).isEqualTo(204);
                assertThat(r.hasEntity()).isFalse();
            }
            assertThat(helpfulnessOf(5, 11)).isEqualTo(helpfulness + 1);
        }

        @Test
        void reportedReviewDisappearsFromListAndMeta() throws Exception {
            JsonNode metaBefore = json("/reviews/meta", Map.of("product_id", 3));
            assertThat(metaBefore.get("ratings")).isEmpty(); // product 3 has characteristics but no reviews yet
            try (Response r = post(Map.of("product_id", 3, "rating", 1, "body", BODY, "recommend", false,
                    "name", "grumpy", "email", "grumpy@example.com", "characteristics", Map.of("6", 2)))) {
                assertThat(r.getStatus()).isEqualTo(201);
            }
            int id = json("/reviews", Map.of("product_id", 3)).get("results").get(0).get("review_id").asInt();
            assertThat(json("/reviews/meta", Map.of("product_id", 3)).get("ratings").get("1").asText()).isEqualTo("1");

            for (int attempt = 0; attempt < 2; attempt++) { // reporting twice is harmless
                try (Response r = app.target("/reviews/" + id + "/report").request().put(Entity.text(""))) {
                    assertThat(r.getStatus()).isEqualTo(204);
                }
            }
            assertThat(json("/reviews", Map.of("product_id", 3)).get("results")).isEmpty();
            JsonNode meta = json("/reviews/meta", Map.of("product_id", 3));
            assertThat(meta.get("ratings")).isEmpty();
            assertThat(meta.get("recommended")).isEmpty();
            assertThat(meta.get("characteristics").get("Fit").get("value").isNull()).isTrue();
            assertThat(AggregateCheck.differences(app.database())).isEmpty();
        }

        @Test
        void unknownReviewIs404() throws Exception {
            for (String action : List.of("helpful", "report")) {
                try (Response r = app.target("/reviews/987654321/" + action).request().put(Entity.text(""))) {
                    assertThat(r.getStatus()).isEqualTo(404);
                    JsonNode error = JSON.readTree(r.readEntity(String.class));
                    assertThat(error.get("field").asText()).isEqualTo("review_id");
                    assertThat(error.get("message").asText()).contains("987654321");
                }
            }
        }

        private int helpfulnessOf(int productId, int reviewId) throws Exception {
            for (JsonNode r : json("/reviews", Map.of("product_id", productId, "count", 100)).get("results")) {
                if (r.get("review_id").asInt() == reviewId) {
                    return r.get("helpfulness").asInt();
                }
            }
            throw new AssertionError("review " + reviewId + " not listed");
        }
    }
}
