package com.atelier.reviews.server.cors;

import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import jakarta.validation.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** cors.allowedOrigins is validated when the node starts: a typo fails the start instead of blocking browsers. */
class CorsConfigurationTest {

    private static final Validator VALIDATOR = Validators.newValidator();

    @ParameterizedTest(name = "allowedOrigins \"{0}\" is valid")
    @ValueSource(strings = {"*", "https://shop.example", "https://shop.example, http://127.0.0.1:3000",
            "https://*.atelier.example,https://shop.example", " * "})
    void acceptsAnyOriginOrAListOfOrigins(String origins) {
        assertThat(VALIDATOR.validate(config(origins))).isEmpty();
    }

    @ParameterizedTest(name = "allowedOrigins \"{0}\" is refused")
    @ValueSource(strings = {"", " ", "shop.example", "https://shop.example/", "https://shop.example,,https://b.example",
            "https://a.example https://b.example", "https://shop.example/path"})
    void refusesWhatIsNotAnOrigin(String origins) {
        assertThat(VALIDATOR.validate(config(origins))).extracting(v -> v.getPropertyPath().toString())
                .containsExactly("allowedOrigins");
    }

    @ParameterizedTest(name = "preflightMaxAge {0} is refused")
    @ValueSource(strings = {"25 hours", "2 days"})
    void boundsTheMaxAge(String maxAge) {
        CorsConfiguration config = config("*");
        config.setPreflightMaxAge(Duration.parse(maxAge));
        assertThat(VALIDATOR.validate(config)).isNotEmpty();
    }

    private static CorsConfiguration config(String origins) {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(origins);
        return config;
    }
}
