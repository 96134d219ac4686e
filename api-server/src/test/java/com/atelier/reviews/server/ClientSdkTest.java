package com.atelier.reviews.server;

import com.atelier.reviews.client.ApiClient;
import com.atelier.reviews.client.ApiException;
import com.atelier.reviews.client.api.ReviewsApi;
import com.atelier.reviews.client.model.NewReview;
import com.atelier.reviews.client.model.Review;
import com.atelier.reviews.client.model.ReviewList;
import com.atelier.reviews.client.model.ReviewMeta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The partner SDK generated from openapi.yaml, driving a live node through all five endpoints. */
class ClientSdkTest {

    private static RunningApp app;
    private static ReviewsApi api;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("client_sdk");
        ApiClient client = new ApiClient();
        client.updateBaseUri(app.baseUri());
        api = new ReviewsApi(client);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void listsAndReadsMeta() throws ApiException {
        ReviewList list = api.listReviews(2, 1, 10, "newest");
        assertThat(list.getProduct()).isEqualTo("2");
        assertThat(list.getResults()).extracting(Review::getReviewId).containsExactly(5, 7, 3, 4, 6);
        Review five = list.getResults().get(0);
        assertThat(five.getDate()).isEqualTo(OffsetDateTime.of(2021, 3, 17, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(five.getPhotos()).hasSize(3);
        assertThat(five.getResponse()).isNull();

        ReviewMeta meta = api.getReviewMeta(1);
        assertThat(meta.getProductId()).isEqualTo("1");
        assertThat(meta.getRatings()).containsExactly(Map.entry("4", "1"), Map.entry("5", "1"));
        assertThat(meta.getCharacteristics().get("Length").getValue()).isEqualTo("3.5000000000000000");
    }

    @Test
    void writesThroughAllThreeWriteEndpoints() throws ApiException {
        NewReview review = new NewReview().productId(5).rating(5).summary("SDK review")
                .body("Written by the generated Java client to prove the contract end to end.")
                .recommend(true).name("sdk").email("sdk@example.com")
                .photos(List.of("https://example.com/sdk.jpg"))
                .characteristics(Map.of("14", 4, "15", 3, "16", 5, "17", 2));
        assertThat(api.addReview(review, null)).isEqualTo("Created");

        Review added = api.listReviews(5, 1, 1, "newest").getResults().get(0);
        assertThat(added.getSummary()).isEqualTo("SDK review");
        assertThat(added.getPhotos().get(0).getUrl()).isEqualTo("https://example.com/sdk.jpg");

        String key = UUID.randomUUID().toString();
        api.markReviewHelpful(added.getReviewId(), key);
        api.markReviewHelpful(added.getReviewId(), key); // a retry: replayed, not counted twice
        assertThat(api.listReviews(5, 1, 1, "newest").getResults().get(0).getHelpfulness()).isEqualTo(1);

        api.reportReview(added.getReviewId(), null);
        assertThat(api.listReviews(5, 1, 100, "newest").getResults())
                .extracting(Review::getReviewId).doesNotContain(added.getReviewId());
    }

    @Test
    void errorsSurfaceAsApiExceptionsWithTheContractBody() {
        assertThatThrownBy(() -> api.markReviewHelpful(987654, null))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getResponseBody()).contains("\"field\":\"review_id\"");
                });
        assertThatThrownBy(() -> api.addReview(new NewReview().productId(5).rating(9), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(URI.create(app.baseUri()).getHost()).isEqualTo("127.0.0.1");
    }
}
