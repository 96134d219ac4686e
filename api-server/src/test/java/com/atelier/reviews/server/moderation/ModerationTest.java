package com.atelier.reviews.server.moderation;

import com.atelier.reviews.client.ReviewsClient;
import com.atelier.reviews.client.ReviewsException;
import com.atelier.reviews.client.model.NewReview;
import com.atelier.reviews.client.model.ReportedReview;
import com.atelier.reviews.client.model.ReportedReviewList;
import com.atelier.reviews.client.model.Review;
import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.Http;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The moderation queue on two nodes sharing one database (keys optional, as in the tests' default configuration):
 * a report hides a review at once on both nodes and enters the queue; a restore lists and counts it again on both,
 * the moment the answer arrives; a removal deletes it for good; merchant responses show in GET /reviews. After each
 * step the stored totals equal a from-scratch GROUP BY, and every action is in the audit.
 */
class ModerationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRODUCT = 5; // characteristics 14..17
    private static RunningApp nodeA;
    private static RunningApp nodeB;
    private static ScratchDatabase db;
    private static Http a;
    private static Http b;

    @BeforeAll
    static void start() {
        nodeA = RunningApp.withSampleData("moderation");
        db = nodeA.database();
        nodeB = RunningApp.start(db);
        a = new Http(nodeA.baseUri());
        b = new Http(nodeB.baseUri());
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
        nodeB.stop();
        nodeA.close();
    }

    @Test
    void aReportedReviewIsFoundRestoredAndSeenAgainOnEveryNode() throws Exception {
        int id = addReview("to be restored", 2);
        String listBefore = b.get("/reviews?product_id=" + PRODUCT + "&count=100").body();
        String metaBefore = b.get("/reviews/meta?product_id=" + PRODUCT).body();
        assertThat(listBefore).contains("\"review_id\":" + id);

        assertThat(a.put("/reviews/" + id + "/report").status()).isEqualTo(204);
        assertThat(a.put("/reviews/" + id + "/report").status()).as("reported again: counted once").isEqualTo(204);
        for (Http node : List.of(a, b)) {
            assertThat(node.get("/reviews?product_id=" + PRODUCT + "&count=100").body()).doesNotContain("\"review_id\":" + id);
            assertThat(node.get("/reviews/meta?product_id=" + PRODUCT).body()).isNotEqualTo(metaBefore);
        }
        assertThat(AggregateCheck.differences(db)).isEmpty();

        JsonNode entry = queueEntry(b, id);
        assertThat(entry).as("the moderator finds it in the queue").isNotNull();
        assertThat(entry.get("reports").asInt()).isEqualTo(1); // anonymous, once
        assertThat(entry.get("product_id").asInt()).isEqualTo(PRODUCT);
        assertThat(entry.get("summary").asText()).isEqualTo("to be restored");
        assertThat(entry.get("last_reported_at").asText()).isNotBlank();

        assertThat(a.put("/moderation/reviews/" + id + "/restore").status()).isEqualTo(204);
        for (Http node : List.of(a, b)) {
            assertThat(node.get("/reviews?product_id=" + PRODUCT + "&count=100").body()).isEqualTo(listBefore);
            assertThat(node.get("/reviews/meta?product_id=" + PRODUCT).body()).isEqualTo(metaBefore);
        }
        assertThat(queueEntry(b, id)).as("it left the queue").isNull();
        assertThat(AggregateCheck.differences(db)).isEmpty();
        assertThat(a.put("/moderation/reviews/" + id + "/restore").status()).as("restoring again changes nothing")
                .isEqualTo(204);
        assertThat(b.get("/reviews/meta?product_id=" + PRODUCT).body()).isEqualTo(metaBefore);
        assertThat(audit(id)).containsExactly("anonymous restore");

        // A later report hides it again, and counts afresh.
        assertThat(b.put("/reviews/" + id + "/report").status()).isEqualTo(204);
        assertThat(queueEntry(a, id).get("reports").asInt()).isEqualTo(1);
        assertThat(AggregateCheck.differences(db)).isEmpty();
    }

    @Test
    void removingDeletesForGoodAndKeepsMetaExact() throws Exception {
        int reported = addReview("reported, then removed", 1);
        int counted = addReview("removed while counted", 5);
        assertThat(b.put("/reviews/" + reported + "/report").status()).isEqualTo(204);
        assertThat(a.put("/moderation/reviews/" + reported + "/remove").status()).isEqualTo(204);
        assertThat(b.put("/moderation/reviews/" + counted + "/remove").status()).isEqualTo(204);
        for (int id : new int[]{reported, counted}) {
            assertThat(rows("SELECT count(*) FROM reviews WHERE id = " + id)).isZero();
            assertThat(rows("SELECT count(*) FROM reviews_photos WHERE review_id = " + id)).isZero();
            assertThat(rows("SELECT count(*) FROM characteristic_reviews WHERE review_id = " + id)).isZero();
            assertThat(rows("SELECT count(*) FROM review_reports WHERE review_id = " + id)).isZero();
            assertThat(audit(id)).containsExactly("anonymous remove");
            for (Http node : List.of(a, b)) {
                assertThat(node.get("/reviews?product_id=" + PRODUCT + "&count=100").body())
                        .doesNotContain("\"review_id\":" + id);
            }
            assertThat(queueEntry(a, id)).isNull();
        }
        assertThat(AggregateCheck.differences(db)).isEmpty();
        Http.Answer gone = a.put("/moderation/reviews/" + counted + "/remove");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).get("field").asText()).isEqualTo("review_id");
        assertThat(a.put("/moderation/reviews/" + counted + "/restore").status()).isEqualTo(404);
        assertThat(a.put("/reviews/" + counted + "/report").status()).isEqualTo(404);
    }

    @Test
    void merchantResponsesShowInTheListOnEveryNodeAndCanBeCleared() throws Exception {
        int id = addReview("answered by the merchant", 3);
        String text = "Thank you! We have sent you a replacement pair. \uD83D\uDE00";
        Http.Answer set = a.send("PUT", "/moderation/reviews/" + id + "/response",
                JSON.writeValueAsString(Map.of("response", text)));
        assertThat(set.status()).as(set.body()).isEqualTo(204);
        for (Http node : List.of(a, b)) {
            assertThat(listed(node, id).get("response").asText()).isEqualTo(text);
        }
        Http.Answer cleared = b.send("PUT", "/moderation/reviews/" + id + "/response", "{\"response\": null}");
        assertThat(cleared.status()).isEqualTo(204);
        for (Http node : List.of(a, b)) {
            assertThat(listed(node, id).get("response").isNull()).isTrue();
        }
        assertThat(audit(id)).containsExactly("anonymous set_response", "anonymous clear_response");
        assertThat(AggregateCheck.differences(db)).isEmpty();
    }

    @Test
    void theQueueIsPagedNewestFirstWithItsTotal() throws Exception {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = addReview("paged " + i, 4);
            assertThat(a.put("/reviews/" + id + "/report").status()).isEqualTo(204);
            ids.add(id);
        }
        long reported = rows("SELECT count(*) FROM reviews WHERE reported");
        JsonNode first = JSON.readTree(b.get("/moderation/reports?page=1&count=2").body());
        JsonNode second = JSON.readTree(b.get("/moderation/reports?page=2&count=2").body());
        assertThat(first.get("total").asLong()).isEqualTo(reported);
        assertThat(first.get("page").asInt()).isEqualTo(1);
        assertThat(first.get("count").asInt()).isEqualTo(2);
        assertThat(first.get("results")).hasSize(2);
        assertThat(first.get("results").get(0).get("review_id").asInt()).isEqualTo(ids.get(2));
        assertThat(first.get("results").get(1).get("review_id").asInt()).isEqualTo(ids.get(1));
        assertThat(second.get("results").get(0).get("review_id").asInt()).isEqualTo(ids.get(0));
        JsonNode defaults = JSON.readTree(b.get("/moderation/reports?page=0&count=").body());
        assertThat(defaults.get("page").asInt()).isEqualTo(1);
        assertThat(defaults.get("count").asInt()).isEqualTo(5);
    }

    @Test
    void theSdkCallsTheModerationEndpoints() throws Exception {
        ReviewsClient client = ReviewsClient.builder(nodeA.baseUri()).maxAttempts(1).build();
        int id = client.addReview(new NewReview().productId(PRODUCT).rating(2).summary("via the SDK")
                .body("Written by the Java client to prove the moderation endpoints end to end.")
                .recommend(false).name("sdk").email("sdk@example.com").characteristics(Map.of("14", 3)));
        client.reportReview(id);
        ReportedReviewList page = client.reportedReviews(1, 1000);
        ReportedReview entry = page.getResults().stream().filter(r -> r.getReviewId() == id).findFirst()
                .orElseThrow();
        assertThat(entry.getReports()).isEqualTo(1);
        assertThat(entry.getSummary()).isEqualTo("via the SDK");
        assertThat(page.getTotal()).isGreaterThanOrEqualTo(1);
        client.restoreReview(id);
        client.setResponse(id, "Sorry to hear it: write to us.");
        assertThat(client.reportedReviews(1, 1000).getResults()).noneMatch(r -> r.getReviewId() == id);
        Review listed = client.listReviews(PRODUCT, 1, 1000, com.atelier.reviews.client.ReviewSort.NEWEST)
                .getResults().stream().filter(r -> r.getReviewId() == id).findFirst().orElseThrow();
        assertThat(listed.getResponse()).isEqualTo("Sorry to hear it: write to us.");
        client.setResponse(id, null);
        client.removeReview(id);
        assertThatThrownBy(() -> client.removeReview(id)).isInstanceOfSatisfying(ReviewsException.class,
                e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.field()).hasValue("review_id");
                });
        assertThatThrownBy(() -> client.setResponse(id, " ")).isInstanceOfSatisfying(ReviewsException.class,
                e -> assertThat(e.status()).as("the text is judged before the review is looked up").isEqualTo(422));
        assertThat(audit(id)).containsExactly("anonymous restore", "anonymous set_response",
                "anonymous clear_response", "anonymous remove");
        assertThat(AggregateCheck.differences(db)).isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------

    private static int addReview(String summary, int rating) {
        Http.Answer r = a.post("/reviews", """
                {"product_id": %d, "rating": %d, "summary": "%s", "recommend": %s, "name": "mod", "email": "m@example.com",
                 "body": "A review written by the moderation test, long enough to be a valid review body.",
                 "photos": ["https://example.com/m.jpg"], "characteristics": {"14": %d, "16": 2}}"""
                .formatted(PRODUCT, rating, summary, rating > 2, rating));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Integer.parseInt(r.header("Review-Id").orElseThrow());
    }

    private static JsonNode queueEntry(Http node, int id) throws Exception {
        for (JsonNode r : JSON.readTree(node.get("/moderation/reports?count=1000").body()).get("results")) {
            if (r.get("review_id").asInt() == id) {
                return r;
            }
        }
        return null;
    }

    private static JsonNode listed(Http node, int id) throws Exception {
        for (JsonNode r : JSON.readTree(node.get("/reviews?product_id=" + PRODUCT + "&count=100").body()).get("results")) {
            if (r.get("review_id").asInt() == id) {
                return r;
            }
        }
        throw new AssertionError("review " + id + " is not listed");
    }

    private static List<String> audit(int id) throws SQLException {
        List<String> actions = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key_name || ' ' || action FROM moderation_audit WHERE review_id = "
                     + id + " ORDER BY id")) {
            while (rs.next()) {
                actions.add(rs.getString(1));
            }
        }
        return actions;
    }

    private static long rows(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
