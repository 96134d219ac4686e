package com.atelier.reviews.server.input;

import com.atelier.reviews.server.errors.ApiException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a JSON body once as tokens before it is bound, so that the whole document is judged before any field:
 * not UTF-8, not JSON, truncated, empty, more than one document, or nested deeper than
 * {@link InputLimits#MAX_JSON_DEPTH} is a 400 (the syntax is wrong wherever the fields are); a key given twice in an
 * object, or an integer beyond 32 bits, is a 422 naming the field (Jackson would silently keep the last key, and no
 * field of the contract is wider than int32). The body is at most {@link InputLimits#MAX_BODY_BYTES}
 * (RequestBodyLimitFilter), so reading it twice costs nothing that matters.
 */
public final class JsonBodyGuard implements ReaderInterceptor {

    private static final JsonFactory TOKENS = new JsonFactory();

    /**
     * The review's integer fields. A string there is bound as a number (as the legacy API took "5"), but only a
     * {@link StrictInteger}: Jackson's own coercion would also take " 5", "+5" or Arabic-Indic digits.
     */
    private static final Predicate<String> INTEGER_FIELDS = field ->
            field.equals("product_id") || field.equals("rating") || field.startsWith("characteristics.");

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        requireUtf8(body);
        check(body);
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /**
     * JSON travels as UTF-8 (RFC 8259). Jackson's decoder lets overlong forms (0xC0 0xAF for '/') and encoded
     * surrogates through; the JDK's does not, so what is stored is exactly what the bytes mean.
     */
    static void requireUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(null, "request body is not valid UTF-8");
        }
    }

    /** Throws JsonProcessingException (mapped to 400) for bad syntax, ApiException for the rules above. */
    static void check(byte[] body) throws IOException {
        try (JsonParser p = TOKENS.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw ApiException.badRequest(null, "request body is empty; send a JSON review");
            }
            Deque<Set<String>> keys = new ArrayDeque<>();
            do {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (p.getParsingContext().getNestingDepth() > InputLimits.MAX_JSON_DEPTH) {
                            throw ApiException.badRequest(null, "request body nests deeper than "
                                    + InputLimits.MAX_JSON_DEPTH + " levels");
                        }
                        keys.push(t == JsonToken.START_OBJECT ? new HashSet<>() : Set.of());
                    }
                    case END_OBJECT, END_ARRAY -> keys.pop();
                    case FIELD_NAME -> {
                        if (!keys.peek().add(p.currentName())) {
                            String field = JsonPath.of(p.getParsingContext());
                            throw ApiException.invalid(field, field + " is given twice");
                        }
                    }
                    case VALUE_NUMBER_INT -> {
                        if (p.getNumberType() != JsonParser.NumberType.INT) {
                            String field = JsonPath.of(p.getParsingContext());
                            throw ApiException.invalid(field, field + " is out of range");
                        }
                    }
                    case VALUE_STRING -> {
                        String text = p.getText(); // decodes it, so invalid UTF-8 fails here, as syntax
                        String field = JsonPath.of(p.getParsingContext());
                        if (INTEGER_FIELDS.test(field) && StrictInteger.parse(text).isEmpty()) {
                            throw ApiException.invalid(field, field + " must be an integer");
                        }
                    }
                    default -> {
                    }
                }
            } while (!keys.isEmpty() && (t = p.nextToken()) != null); // ends with the first (root) value
            if (p.nextToken() != null) {
                throw ApiException.badRequest(null, "request body holds more than one JSON value");
            }
        }
    }
}
