package com.atelier.reviews.etl.copy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    private static byte[] bytes(String ascii, int at, int... inserted) {
        byte[] text = ascii.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[text.length + inserted.length];
        System.arraycopy(text, 0, out, 0, at);
        for (int i = 0; i < inserted.length; i++) {
            out[at + i] = (byte) inserted[i];
        }
        System.arraycopy(text, at, out, at + inserted.length, text.length - at);
        return out;
    }

    @Test
    void findsABadByteWhereverItIsInTheEightByteSteps() {
        String ascii = "The quick brown fox jumps over the lazy dog, twice.";
        assertThat(Utf8.problem(ascii.getBytes(StandardCharsets.US_ASCII))).isNull();
        for (int at = 0; at <= ascii.length(); at++) {
            assertThat(Utf8.problem(bytes(ascii, at, 0))).as("NUL at %d", at).isEqualTo("NUL character");
            assertThat(Utf8.problem(bytes(ascii, at, 0xFF))).as("0xFF at %d", at).isEqualTo("invalid UTF-8 byte 0xff");
            assertThat(Utf8.problem(bytes(ascii, at, 0xC3, 0xA9))).as("é at %d", at).isNull();
            assertThat(Utf8.problem(bytes(ascii, at, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80))).as("€😀 at %d", at)
                    .isNull();
            assertThat(Utf8.problem(bytes(ascii, at, 0xC3))).as("cut é at %d", at).isNotNull();
        }
    }
}
