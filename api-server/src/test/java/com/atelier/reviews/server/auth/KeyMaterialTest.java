package com.atelier.reviews.server.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules of keys that need no node: how a header is read, what a key and a name look like, scopes. */
class KeyMaterialTest {

    @Test
    void anAuthorizationHeaderIsReadInBothForms() {
        assertThat(KeyMaterial.presented("Bearer atr_abc")).isEqualTo("atr_abc");
        assertThat(KeyMaterial.presented("bearer  atr_abc ")).isEqualTo("atr_abc");
        assertThat(KeyMaterial.presented("BEARER atr_abc")).isEqualTo("atr_abc");
        assertThat(KeyMaterial.presented("legacy-token-value")).isEqualTo("legacy-token-value");
        assertThat(KeyMaterial.presented("Basic dXNlcjpwdw==")).isEqualTo("Basic dXNlcjpwdw==");
    }

    @Test
    void newKeysCarry256RandomBitsAndHashTo32Bytes() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = KeyMaterial.newKey();
            assertThat(key).matches("atr_[A-Za-z0-9_-]{43}");
            keys.add(key);
        }
        assertThat(keys).hasSize(1000);
        assertThat(KeyMaterial.hash("x")).hasSize(32);
        assertThat(KeyMaterial.hash("x")).isEqualTo(KeyMaterial.hash("x")).isNotEqualTo(KeyMaterial.hash("y"));
    }

    @Test
    void namesAndImportedTokensAreChecked() {
        assertThat(KeyMaterial.validName("frontend")).isTrue();
        assertThat(KeyMaterial.validName("shop-eu.v2_1")).isTrue();
        for (String bad : new String[]{"", ".hidden", "has space", "x".repeat(65), "naïve", "a/b", null}) {
            assertThat(KeyMaterial.validName(bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThat(KeyMaterial.validToken("0123456789abcdef")).isTrue();
        assertThat(KeyMaterial.validToken("short")).isFalse();
        assertThat(KeyMaterial.validToken("has a space in it!")).isFalse();
    }

    @Test
    void scopesParseFromTheCommandLine() {
        assertThat(Scope.parseAll("read,write")).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE);
        assertThat(Scope.parseAll(" moderate , read ")).containsExactlyInAnyOrder(Scope.MODERATE, Scope.READ);
        assertThatThrownBy(() -> Scope.parseAll("admin")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read, write, moderate");
        assertThatThrownBy(() -> Scope.parseAll(",")).isInstanceOf(IllegalArgumentException.class);
    }
}
