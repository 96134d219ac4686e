package com.atelier.reviews.server.cache;

import com.atelier.reviews.server.core.LegacyJson;
import com.atelier.reviews.server.db.SortOrder;
import com.atelier.reviews.server.db.StoredReview;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page of every order is the envelope around the reviews Jackson encodes, whichever order laid the listing out;
 * the whole first page is kept once asked; other pages are joined per request (ReviewJsonTest compares answers).
 */
class ProductReviewsTest {

    private static final ReviewJson JSON;

    static {
        ObjectMapper mapper = Jackson.newObjectMapper();
        LegacyJson.configure(mapper);
        JSON = new ReviewJson(mapper);
    }

    private static final List<StoredReview> REVIEWS = IntStream.rangeClosed(1, 8)
            .mapToObj(i -> new StoredReview(i, 1 + i % 5, "summary " + i, i % 2 == 0, null, "body " + i,
                    Instant.parse("2021-01-01T00:00:00Z").plusSeconds(86_400L * ((i * 5) % 8)), "reviewer" + i,
                    (i * 3) % 8, List.of()))
            .toList();

    @Test
    void everyPageOfEveryLayoutIsTheEnvelopeAroundTheEncodedReviews() {
        int compared = 0;
        for (int size : new int[] {0, 1, 4, 5, 6, 8}) {
            List<StoredReview> reviews = REVIEWS.subList(0, size);
            for (SortOrder layout : SortOrder.values()) {
                ProductReviews product = ProductReviews.of(7, reviews, JSON, 5, layout);
                for (SortOrder order : SortOrder.values()) {
                    List<byte[]> sorted = reviews.stream().sorted(order.comparator()).map(JSON::review).toList();
                    for (int offset = 0; offset <= 10; offset++) {
                        for (int count = 1; count <= 10; count++) {
                            List<byte[]> expected = sorted.subList(Math.min(offset, size),
                                    Math.min(size, offset + count));
                            assertThat(product.page(order, offset, count))
                                    .as("%d reviews laid out %s, %s from %d, count %d", size, layout, order, offset,
                                            count)
                                    .hasToString(JSON.page(7, offset, count, expected).toString());
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(6 * 3 * 3 * 11 * 10);
    }

    @Test
    void theLayoutOrdersFirstPageIsTheListingsOwnArray() {
        ProductReviews product = ProductReviews.of(7, REVIEWS, JSON, 5, SortOrder.HELPFUL);
        assertThat(product.page(SortOrder.HELPFUL, 0, 5)).isSameAs(product.page(SortOrder.HELPFUL, 0, 5))
                .hasToString(JSON.page(7, 0, 5, REVIEWS.stream().sorted(SortOrder.HELPFUL.comparator())
                        .limit(5).map(JSON::review).toList()).toString());
    }

    @Test
    void theFirstPageOfEachOrderIsKeptOnceAsked() {
        ProductReviews product = ProductReviews.of(7, REVIEWS, JSON, 5, SortOrder.NEWEST);
        for (SortOrder order : SortOrder.values()) {
            EncodedJson first = product.page(order, 0, 5);
            assertThat(product.page(order, 0, 5)).as(order.name()).isSameAs(first);
            assertThat(first.toString()).startsWith("{\"product\":\"7\",\"page\":0,\"count\":5,\"results\":[");
        }
        assertThat(product.page(SortOrder.NEWEST, 0, 5)).isNotSameAs(product.page(SortOrder.HELPFUL, 0, 5));
    }

    @Test
    void otherPagesAreJoinedPerRequestWithTheSameBytes() {
        ProductReviews product = ProductReviews.of(7, REVIEWS, JSON, 5, SortOrder.NEWEST);
        EncodedJson second = product.page(SortOrder.HELPFUL, 5, 5);
        assertThat(product.page(SortOrder.HELPFUL, 5, 5)).isNotSameAs(second)
                .hasToString(second.toString());
        assertThat(second.toString().split("\"review_id\"", -1)).hasSize(REVIEWS.size() - 5 + 1);
    }
}
