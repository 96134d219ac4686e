package com.atelier.reviews.server.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The spelling of a body field in errors, the same from the token guard, a failed binding and the review's rules. */
class JsonPathTest {

    /** The shape of the fields below, bound by a plain ObjectMapper. */
    public static class Body {
        public Integer rating;
        public List<String> photos;
        public Map<String, Integer> characteristics;
    }

    @Test
    void membersJoinWithDotsAndElementsWithBrackets() {
        assertThat(JsonPath.field("", "rating")).isEqualTo("rating");
        assertThat(JsonPath.field("characteristics", "14")).isEqualTo("characteristics.14");
        assertThat(JsonPath.index("photos", 2)).isEqualTo("photos[2]");
        assertThat(JsonPath.field(JsonPath.index("photos", 0), "url")).isEqualTo("photos[0].url");
        assertThat(JsonPath.index("", 3)).isEqualTo("[3]");
    }

    /** Each body has one bad value, the first token of its kind after the root. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"rating\": \"x\"}                                   | VALUE_STRING | rating",
            "{\"rating\": 5, \"photos\": [\"a\", {}]}              | START_OBJECT | photos[1]",
            "{\"characteristics\": {\"5\": 3, \"14\": \"x\"}}      | VALUE_STRING | characteristics.14"})
    void theParserAndTheBindingNameTheSameField(String json, JsonToken bad, String path) throws IOException {
        JsonMappingException binding = catchThrowableOfType(JsonMappingException.class,
                () -> new ObjectMapper().readValue(json, Body.class));

        assertThat(JsonPath.of(binding)).isEqualTo(path);
        assertThat(pathOfFirst(json, bad)).isEqualTo(path);
    }

    private static String pathOfFirst(String json, JsonToken kind) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken(); // the root object
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == kind) {
                    return JsonPath.of(p.getParsingContext());
                }
            }
        }
        throw new AssertionError("no " + kind + " in " + json);
    }
}
