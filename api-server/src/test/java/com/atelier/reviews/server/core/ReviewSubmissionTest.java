package com.atelier.reviews.server.core;

import com.atelier.reviews.contract.model.NewReview;
import com.atelier.reviews.server.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rules of a POSTed review, without HTTP or a database; ValidationTest checks the same rules through the running
 * API (status, body shape, nothing stored).
 */
class ReviewSubmissionTest {

    private static final String BODY = "Comfortable, well made and exactly as pictured. I would buy them again.";

    private static NewReview valid() {
        return new NewReview().productId(2).rating(5).summary("Great shades").body(BODY).recommend(true)
                .name("  jo  ").email(" jo@example.com ").photos(List.of("https://example.com/1.jpg"))
                .characteristics(new LinkedHashMap<>(Map.of("14", 4, "5", 3)));
    }

    private static ApiException rejected(UnaryOperator<NewReview> change) {
        try {
            ReviewSubmission.from(change.apply(valid()));
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aValidReviewIsTakenWithItsTextTrimmedWhereTheRulesSay() {
        ReviewSubmission s = ReviewSubmission.from(valid());

        assertThat(s.productId()).isEqualTo(2);
        assertThat(s.rating()).isEqualTo(5);
        assertThat(s.name()).isEqualTo("jo");
        assertThat(s.email()).isEqualTo("jo@example.com");
        assertThat(s.body()).isEqualTo(BODY); // not stripped: the length rule counts what was sent
        assertThat(s.photos()).containsExactly("https://example.com/1.jpg");
        assertThat(s.characteristics()).containsExactly(Map.entry(5, 3), Map.entry(14, 4)); // by id
    }

    @Test
    void optionalFieldsDefaultToEmpty() {
        ReviewSubmission s = ReviewSubmission.from(valid().summary(null).photos(null).characteristics(null));

        assertThat(s.summary()).isEmpty();
        assertThat(s.photos()).isEmpty();
        assertThat(s.characteristics()).isEmpty();
    }

    @Test
    void eachMissingRequiredFieldIsNamed() {
        assertThat(rejected(r -> r.productId(null)).field()).isEqualTo("product_id");
        assertThat(rejected(r -> r.rating(null)).field()).isEqualTo("rating");
        assertThat(rejected(r -> r.body(null)).field()).isEqualTo("body");
        assertThat(rejected(r -> r.recommend(null)).field()).isEqualTo("recommend");
        assertThat(rejected(r -> r.name(null)).getMessage()).isEqualTo("name is required");
        assertThat(rejected(r -> r.email(null)).status()).isEqualTo(422);
        assertThatThrownBy(() -> ReviewSubmission.from(null)).isInstanceOf(ApiException.class)
                .hasMessage("request body must be a JSON review");
    }

    @Test
    void rangesAndLengthsAreCheckedInCodePoints() {
        assertThat(rejected(r -> r.productId(0)).getMessage()).isEqualTo("product_id must be a positive integer");
        assertThat(rejected(r -> r.rating(6)).getMessage()).isEqualTo("rating must be an integer from 1 to 5");
        assertThat(rejected(r -> r.rating(0)).field()).isEqualTo("rating");
        assertThat(rejected(r -> r.summary("x".repeat(61))).field()).isEqualTo("summary");
        assertThat(ReviewSubmission.from(valid().summary("😀".repeat(60))).summary()).hasSize(120); // 60 emoji
        assertThat(rejected(r -> r.body("x".repeat(49))).getMessage()).isEqualTo("body must be 50 to 1000 characters, not 49");
        assertThat(rejected(r -> r.body(" ".repeat(60))).getMessage()).isEqualTo("body must not be blank");
        assertThat(rejected(r -> r.name("   ")).field()).isEqualTo("name");
        assertThat(rejected(r -> r.email("a@" + "b".repeat(55) + ".com")).field()).isEqualTo("email");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jo", "jo@example", "jo@@example.com", "j o@example.com", "jo@.com"})
    void anEmailNeedsOneAtAndADottedDomain(String email) {
        assertThat(rejected(r -> r.email(email)).field()).isEqualTo("email");
    }

    @Test
    void controlCharactersAndLoneSurrogatesAreRefused() {
        assertThat(rejected(r -> r.summary("a\u0000b")).getMessage()).isEqualTo("summary contains a control character");
        assertThat(rejected(r -> r.name("jo\u007f")).field()).isEqualTo("name");
        assertThat(rejected(r -> r.body(BODY + "\ud83d")).getMessage()).isEqualTo("body contains invalid unicode");
        assertThat(ReviewSubmission.from(valid().body(BODY + "\n\tand a tab")).body()).endsWith("\n\tand a tab");
    }

    @Test
    void photosAreAtMostFiveAbsoluteHttpUrls() {
        assertThat(rejected(r -> r.photos(List.of("a", "b", "c", "d", "e", "f"))).field()).isEqualTo("photos");
        assertThat(rejected(r -> r.photos(List.of("https://x.example/1", "ftp://x.example/2"))).field())
                .isEqualTo("photos[1]");
        assertThat(rejected(r -> r.photos(List.of("/relative.jpg"))).getMessage())
                .isEqualTo("photos[0] must be an absolute http(s) URL");
        assertThat(rejected(r -> r.photos(List.of(" "))).getMessage()).isEqualTo("photos[0] must be an http(s) URL");
        assertThat(ReviewSubmission.from(valid().photos(List.of("HTTP://x.example/1"))).photos()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "+14", "١٤", "2147483648", "12345678901", "x", ""})
    void characteristicIdsArePositiveAsciiInt32(String id) {
        ApiException e = rejected(r -> r.characteristics(Map.of(id, 3)));
        assertThat(e.field()).isEqualTo("characteristics." + id);
        assertThat(e.getMessage()).isEqualTo("characteristic ids must be positive integers");
    }

    @Test
    void characteristicValuesAreOneToFiveAndEachIdOnce() {
        assertThat(ReviewSubmission.from(valid().characteristics(Map.of("2147483647", 1))).characteristics())
                .containsOnlyKeys(Integer.MAX_VALUE);
        assertThat(rejected(r -> r.characteristics(Map.of("5", 6))).getMessage())
                .isEqualTo("characteristics.5 must be an integer from 1 to 5");
        assertThat(rejected(r -> r.characteristics(Map.of("5", 0))).field()).isEqualTo("characteristics.5");
        Map<String, Integer> twice = new LinkedHashMap<>();
        twice.put("5", 3);
        twice.put("05", 4);
        assertThat(rejected(r -> r.characteristics(twice)).getMessage()).isEqualTo("characteristic 5 is given twice");
    }

    @Test
    void theCanonicalJsonIgnoresSpacingAndOrderButNotContent() {
        NewReview reordered = valid().name("jo").email("jo@example.com")
                .characteristics(new LinkedHashMap<>(Map.of("5", 3, "14", 4)));
        String canonical = ReviewSubmission.from(valid()).canonicalJson();

        assertThat(ReviewSubmission.from(reordered).canonicalJson()).isEqualTo(canonical);
        assertThat(ReviewSubmission.from(valid().rating(4)).canonicalJson()).isNotEqualTo(canonical);
        assertThat(canonical).startsWith("{\"body\":").contains("\"characteristics\":{\"5\":3,\"14\":4}");
    }
}
