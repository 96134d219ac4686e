package com.atelier.reviews.server.core;

import com.atelier.reviews.contract.model.ErrorMessage;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The JSON details the legacy front end sees, applied to Dropwizard's ObjectMapper. */
public final class LegacyJson {

    /** JavaScript's Date.toISOString(): always milliseconds, always Z. */
    static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private LegacyJson() {
    }

    public static void configure(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("legacy-dates").addSerializer(OffsetDateTime.class, new DateSerializer()));
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        // Strict bodies: an unknown field or 4.5 for an integer is an error, not silently dropped or truncated.
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.addMixIn(ErrorMessage.class, OmitNulls.class);
    }

    /**
     * Strict types for request bodies: "5" is not a rating, 1 is not true, and 5 is not a name (Jackson coerces all
     * of these by default). Applied once the configuration is parsed, since the same mapper reads config.yml, whose
     * overrides are strings ("0" for a port).
     */
    public static void strictTypes(ObjectMapper mapper) {
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private abstract static class OmitNulls {
    }

    private static final class DateSerializer extends StdSerializer<OffsetDateTime> {
        DateSerializer() {
            super(OffsetDateTime.class);
        }

        @Override
        public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(ISO_MILLIS.format(value.withOffsetSameInstant(ZoneOffset.UTC)));
        }
    }
}
