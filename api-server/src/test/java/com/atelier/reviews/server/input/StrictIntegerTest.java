package com.atelier.reviews.server.input;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The one integer syntax of query and path parameters, numeric strings in a review and characteristic ids. */
class StrictIntegerTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "5, 5", "0005, 5", "1000011, 1000011", "2147483647, 2147483647", "0000000001, 1"})
    void asciiDigitsWithinInt32AreTheirValue(String text, int value) {
        assertThat(StrictInteger.parse(text)).hasValue(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+5", "-1", " 5", "5 ", "5.0", "1e3", "0x1F", "5_000", "５", "١٤",
            "2147483648", "9999999999", "00000000001", "99999999999999999999"})
    void anythingElseIsNoInteger(String text) {
        assertThat(StrictInteger.parse(text)).isEmpty();
    }
}
