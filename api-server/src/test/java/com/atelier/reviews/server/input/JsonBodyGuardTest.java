package com.atelier.reviews.server.input;

import com.atelier.reviews.server.errors.ApiException;
import com.fasterxml.jackson.core.JsonParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The token guard on raw bytes, without HTTP; HostileRequestsTest and ValidationTest send the same bodies through
 * the running API (status, error shape, nothing stored).
 */
class JsonBodyGuardTest {

    private static final String REVIEW = """
            {"product_id": 2, "rating": 5, "summary": "Great", "recommend": true, "name": "jo",
             "body": "Comfortable, well made and exactly as pictured. I would buy them again.",
             "email": "jo@example.com", "photos": ["https://example.com/1.jpg"],
             "characteristics": {"14": 4, "5": 3}}""";

    private static void check(String json) throws IOException {
        JsonBodyGuard.check(json.getBytes(UTF_8));
    }

    private static ApiException refused(String json) {
        try {
            check(json);
        } catch (ApiException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("refused as bad syntax, not by a rule: " + json, e);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void aWholeReviewPasses() {
        assertThatCode(() -> check(REVIEW)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\r\n\t"})
    void anEmptyBodyIsA400(String body) {
        ApiException e = refused(body);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).isNull();
        assertThat(e.getMessage()).isEqualTo("request body is empty; send a JSON review");
    }

    @Test
    void aKeyGivenTwiceIsA422NamingItWhereverItIs() {
        ApiException top = refused("{\"rating\": 5, \"name\": \"jo\", \"rating\": 4}");
        assertThat(top.status()).isEqualTo(422);
        assertThat(top.field()).isEqualTo("rating");
        assertThat(top.getMessage()).isEqualTo("rating is given twice");

        assertThat(refused("{\"characteristics\": {\"14\": 4, \"14\": 5}}").field()).isEqualTo("characteristics.14");
        assertThat(refused("{\"photos\": [{\"url\": 1}, {\"url\": 2, \"url\": 3}]}").field())
                .isEqualTo("photos[1].url");
    }

    @Test
    void theSameKeyInTwoObjectsIsNoDuplicate() {
        assertThatCode(() -> check("{\"a\": {\"x\": 1}, \"b\": {\"x\": 1}, \"c\": [{\"x\": 1}, {\"x\": 1}]}"))
                .doesNotThrowAnyException();
    }

    @Test
    void anIntegerBeyond32BitsIsOutOfRangeWhateverTheField() {
        ApiException e = refused("{\"rating\": 2147483648}");
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.field()).isEqualTo("rating");
        assertThat(e.getMessage()).isEqualTo("rating is out of range");

        assertThat(refused("{\"photos\": [1, -2147483649]}").field()).isEqualTo("photos[1]");
        assertThat(refused("{\"x\": 99999999999999999999999}").field()).isEqualTo("x");
        assertThatCode(() -> check("{\"a\": 2147483647, \"b\": -2147483648}")).doesNotThrowAnyException();
    }

    @Test
    void aNumericStringIsTakenForAnIntegerField() {
        assertThatCode(() -> check("{\"product_id\": \"0002\", \"rating\": \"5\","
                + " \"characteristics\": {\"14\": \"3\"}}")).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+5", " 5", "5.0", "５", "١٤", "2147483648", "true"})
    void aStringInAnIntegerFieldMustBeAStrictInteger(String text) {
        ApiException rating = refused("{\"rating\": \"" + text + "\"}");
        assertThat(rating.status()).isEqualTo(422);
        assertThat(rating.field()).isEqualTo("rating");
        assertThat(rating.getMessage()).isEqualTo("rating must be an integer");

        assertThat(refused("{\"product_id\": \"" + text + "\"}").field()).isEqualTo("product_id");
        assertThat(refused("{\"characteristics\": {\"14\": \"" + text + "\"}}").getMessage())
                .isEqualTo("characteristics.14 must be an integer");
    }

    @Test
    void stringsElsewhereAreLeftToTheReviewsRules() {
        assertThatCode(() -> check("{\"name\": \"+5\", \"summary\": \"١٤\", \"photos\": [\"５\"]}"))
                .doesNotThrowAnyException();
    }

    @Test
    void nestingIsBoundedByTheLimit() {
        int max = InputLimits.MAX_JSON_DEPTH;
        assertThatCode(() -> check("[".repeat(max) + "]".repeat(max))).doesNotThrowAnyException();

        ApiException arrays = refused("[".repeat(max + 1) + "]".repeat(max + 1));
        assertThat(arrays.status()).isEqualTo(400);
        assertThat(arrays.getMessage()).isEqualTo("request body nests deeper than " + max + " levels");
        assertThat(refused("{\"a\": ".repeat(max + 1) + "1" + "}".repeat(max + 1)).status()).isEqualTo(400);
    }

    @Test
    void exactlyOneDocumentIsRead() {
        assertThatCode(() -> check("{}\n")).doesNotThrowAnyException();
        assertThatCode(() -> check("5")).doesNotThrowAnyException(); // a scalar is left to the binding (422)

        for (String twice : new String[] {"{} {}", "{}[]", "5 6", REVIEW + REVIEW}) {
            ApiException e = refused(twice);
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("request body holds more than one JSON value");
        }
    }

    @Test
    void badSyntaxIsAParseErrorForTheMapper() {
        assertThatThrownBy(() -> check("{\"rating\": 5")).isInstanceOf(JsonParseException.class);
        assertThatThrownBy(() -> check("{rating: 5}")).isInstanceOf(JsonParseException.class);
        assertThatThrownBy(() -> check("{\"rating\": 05}")).isInstanceOf(JsonParseException.class);
    }

    @Test
    void onlyWellFormedUtf8IsRead() {
        assertThatCode(() -> JsonBodyGuard.requireUtf8("{\"name\": \"Zoë 😀\"}".getBytes(UTF_8)))
                .doesNotThrowAnyException();

        byte[][] malformed = {
                {'"', (byte) 0xC0, (byte) 0xAF, '"'}, // overlong '/'
                {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // an encoded surrogate
                {'"', (byte) 0xFF, '"'},
                {'"', (byte) 0xE2, (byte) 0x82, '"'}}; // truncated sequence
        for (byte[] body : malformed) {
            assertThatThrownBy(() -> JsonBodyGuard.requireUtf8(body)).isInstanceOfSatisfying(ApiException.class,
                    e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("request body is not valid UTF-8");
                    });
        }
    }
}
