package com.atelier.reviews.server;

import com.atelier.reviews.client.ReviewSort;
import com.atelier.reviews.client.ReviewStats;
import com.atelier.reviews.client.ReviewsClient;
import com.atelier.reviews.client.api.ReviewsApi;
import com.atelier.reviews.client.api.ReviewsApi.APIListReviewsRequest;
import com.atelier.reviews.client.invoker.ApiResponse;
import com.atelier.reviews.client.model.NewReview;
import com.atelier.reviews.client.model.Review;
import com.atelier.reviews.client.model.ReviewList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The partner SDK (generated from openapi.yaml, plus its hand-written layer) driving a live node on all five endpoints. */
class ClientSdkTest {

    private static RunningApp app;
    private static ReviewsClient client;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("client_sdk");
        client = ReviewsClient.create(app.baseUri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static NewReview review(int product, String summary) {
        return new NewReview().productId(product).rating(5).summary(summary)
                .body("Written by the Java client to prove the contract end to end, with enough words.")
                .recommend(true).name("sdk").email("sdk@example.com")
                .photos(List.of("https://example.com/sdk.jpg"))
                .characteristics(Map.of("14", 4, "15", 3, "16", 5, "17", 2));
    }

    @Test
    void listsATypedPageAndReadsMetaAsNumbers() {
        ReviewList list = client.listReviews(2, 1, 10, ReviewSort.NEWEST);
        assertThat(list.getProduct()).isEqualTo("2");
        assertThat(list.getResults()).extracting(Review::getReviewId).containsExactly(5, 7, 3, 4, 6);
        Review five = list.getResults().get(0);
        assertThat(five.getDate()).isEqualTo(OffsetDateTime.of(2021, 3, 17, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(five.getPhotos()).hasSize(3);
        assertThat(five.getResponse()).isNull();
        assertThat(client.listReviews(2, 1, 10, ReviewSort.HELPFUL).getResults()).extracting(Review::getReviewId)
                .containsExactly(5, 3, 4, 7, 6); // 5 votes each: newest first

        ReviewStats meta = client.meta(1);
        assertThat(meta.productId()).isEqualTo(1);
        assertThat(meta.meta().getRatings()).containsExactly(Map.entry("4", "1"), Map.entry("5", "1"));
        assertThat(meta.ratingCounts()).containsExactly(Map.entry(1, 0L), Map.entry(2, 0L), Map.entry(3, 0L),
                Map.entry(4, 1L), Map.entry(5, 1L));
        assertThat(meta.total()).isEqualTo(2);
        assertThat(meta.averageRating()).hasValue(new BigDecimal("4.5000000000000000"));
        assertThat(meta.recommendedCount() + meta.notRecommendedCount()).isEqualTo(2);
        assertThat(meta.characteristicAverages()).containsEntry("Length", new BigDecimal("3.5000000000000000"));
        assertThat(meta.characteristicIds()).containsEntry("Fit", 1).containsEntry("Quality", 4);

        ReviewStats none = client.meta(999_999);
        assertThat(none.total()).isZero();
        assertThat(none.averageRating()).isEmpty();
        assertThat(none.characteristicAverages()).isEmpty();
    }

    @Test
    void writesThroughAllThreeWriteEndpointsAndReturnsTheNewId() throws SQLException {
        int id = client.addReview(review(5, "SDK review"));
        assertThat(storedSummary(id)).hasValue("SDK review");

        Review added = client.listReviews(5, 1, 1, ReviewSort.NEWEST).getResults().get(0);
        assertThat(added.getReviewId()).isEqualTo(id);
        assertThat(added.getPhotos().get(0).getUrl()).isEqualTo("https://example.com/sdk.jpg");

        String key = UUID.randomUUID().toString();
        client.markReviewHelpful(id, key);
        client.markReviewHelpful(id, key); // the same logical vote again: replayed, not counted twice
        client.markReviewHelpful(id); // a new vote
        assertThat(client.listReviews(5, 1, 1, ReviewSort.NEWEST).getResults().get(0).getHelpfulness()).isEqualTo(2);

        client.reportReview(id);
        assertThat(client.listReviews(5, 1, 100, ReviewSort.NEWEST).getResults())
                .extracting(Review::getReviewId).doesNotContain(id);
    }

    @Test
    void aKeptIdempotencyKeyAnswersTheFirstIdAgain() throws SQLException {
        String key = UUID.randomUUID().toString();
        NewReview review = review(5, "kept key");
        int first = client.addReview(review, key);
        assertThat(client.addReview(review, key)).isEqualTo(first);
        assertThat(count("SELECT count(*) FROM reviews WHERE summary = ?", "kept key")).isEqualTo(1);
    }

    @Test
    void pagesThroughEveryReviewOfAProduct() {
        List<Integer> all = new ArrayList<>();
        client.reviews(2, ReviewSort.NEWEST, 2).forEach(r -> all.add(r.getReviewId()));
        assertThat(all).containsExactly(5, 7, 3, 4, 6); // pages of 2, 2 and a short one of 1
        assertThat(StreamSupport.stream(client.reviews(2, ReviewSort.NEWEST, 5).spliterator(), false).count())
                .isEqualTo(5); // a full last page, then an empty one
        assertThat(client.reviews(999_999, ReviewSort.RELEVANT)).isEmpty();
    }

    @Test
    void theGeneratedApiStaysAvailableOnTheSameHttpClient() {
        ReviewsApi api = client.api();
        ReviewList page = api.listReviews(APIListReviewsRequest.newBuilder().productId(2).count(1).sort("newest")
                .build());
        assertThat(page.getResults()).extracting(Review::getReviewId).containsExactly(5);
        ApiResponse<String> created = client.newApi(ReviewsApi::new).addReviewWithHttpInfo(review(5, "raw"), null);
        assertThat(created.getStatusCode()).isEqualTo(201);
        assertThat(created.getData()).isEqualTo("Created");
        assertThat(created.getHeaders().get("Review-Id")).hasSize(1);
        assertThat(created.getHeaders().get("Location")).containsExactly(app.baseUri() + "/reviews?product_id=5");
    }

    @Test
    void manyApiObjectsShareOneHttpClient() {
        long before = selectorThreads();
        ReviewsClient fresh = ReviewsClient.create(app.baseUri());
        for (int i = 0; i < 20; i++) {
            fresh.newApi(ReviewsApi::new).getReviewMeta(1);
        }
        fresh.meta(1);
        // The generated ApiClient alone starts one HttpClient, and so one selector thread, per API object.
        assertThat(selectorThreads() - before).isLessThanOrEqualTo(1);
        assertThat(fresh.userAgent()).startsWith("atelier-reviews-java/" + ReviewsClient.version() + " ");
        assertThat(ReviewsClient.version()).matches("[0-9]+\\.[0-9]+\\.[0-9]+.*"); // filtered from the POM
    }

    static long selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("SelectorManager")).count();
    }

    static Optional<String> storedSummary(int id) throws SQLException {
        try (Connection c = app.database().connect();
             PreparedStatement s = c.prepareStatement("SELECT summary FROM reviews WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    static long count(String sql, String param) throws SQLException {
        try (Connection c = app.database().connect(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
