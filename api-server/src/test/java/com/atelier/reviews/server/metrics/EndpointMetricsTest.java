package com.atelier.reviews.server.metrics;

import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-endpoint metrics on the admin port: a timer and status-class meters per operation, also in Prometheus form. */
class EndpointMetricsTest {

    private static final String API = "com.atelier.reviews.contract.api.ReviewsApi.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningApp app;
    private static Client admin;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("endpoint-metrics");
        admin = ClientBuilder.newClient();
    }

    @AfterAll
    static void stop() {
        admin.close();
        app.close();
    }

    @Test
    void everyEndpointIsTimedAndCountedByStatusClass() throws Exception {
        for (int i = 0; i < 3; i++) {
            status(app.target("/reviews").queryParam("product_id", 2).request().get());
        }
        status(app.target("/reviews/meta").queryParam("product_id", 2).request().get());
        // Refused by the parameter filter before any resource method runs: not in the endpoint's timer.
        assertThat(status(app.target("/reviews").queryParam("product_id", "x").request().get())).isEqualTo(422);
        assertThat(status(app.target("/reviews/5/helpful").request().put(Entity.json("")))).isEqualTo(204);
        assertThat(status(app.target("/reviews/999999/report").request().put(Entity.json("")))).isEqualTo(404);

        JsonNode metrics = JSON.readTree(admin.target(app.adminUri()).path("/metrics").request().get(String.class));
        assertThat(metrics.at("/timers/" + API + "listReviews/count").asLong()).isEqualTo(3);
        assertThat(metrics.at("/timers/" + API + "listReviews/p99").isNumber()).isTrue();
        assertThat(metrics.at("/timers/" + API + "getReviewMeta/count").asLong()).isEqualTo(1);
        assertThat(metrics.at("/timers/" + API + "markReviewHelpful/count").asLong()).isEqualTo(1);
        assertThat(metrics.at("/meters/" + API + "listReviews.2xx-responses/count").asLong()).isEqualTo(3);
        assertThat(metrics.at("/meters/" + API + "markReviewHelpful.2xx-responses/count").asLong()).isEqualTo(1);
        assertThat(metrics.at("/meters/" + API + "reportReview.4xx-responses/count").asLong()).isEqualTo(1);

        String prometheus = admin.target(app.adminUri()).path("/prometheus").request().get(String.class);
        assertThat(prometheus).contains("listReviews");
    }

    private static int status(Response response) {
        try (response) {
            return response.getStatus();
        }
    }
}
