package com.atelier.reviews.server.core;

import com.atelier.reviews.contract.model.NewReview;
import com.atelier.reviews.server.errors.ApiException;
import com.atelier.reviews.server.input.JsonPath;
import com.atelier.reviews.server.input.StrictInteger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static com.atelier.reviews.server.input.InputLimits.MAX_BODY;
import static com.atelier.reviews.server.input.InputLimits.MAX_EMAIL;
import static com.atelier.reviews.server.input.InputLimits.MAX_NAME;
import static com.atelier.reviews.server.input.InputLimits.MAX_PHOTOS;
import static com.atelier.reviews.server.input.InputLimits.MAX_SUMMARY;
import static com.atelier.reviews.server.input.InputLimits.MAX_URL;
import static com.atelier.reviews.server.input.InputLimits.MIN_BODY;

/** A POSTed review that passed validation; {@link #from} names the first invalid field otherwise (422). */
public record ReviewSubmission(int productId, int rating, String summary, String body, boolean recommend,
                               String name, String email, List<String> photos,
                               TreeMap<Integer, Integer> characteristics) {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    // Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is not ours to check.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");

    public static ReviewSubmission from(NewReview in) {
        if (in == null) {
            throw ApiException.invalid(null, "request body must be a JSON review");
        }
        if (in.getProductId() == null) {
            throw missing("product_id");
        }
        if (in.getProductId() < 1) {
            throw ApiException.invalid("product_id", "product_id must be a positive integer");
        }
        if (in.getRating() == null) {
            throw missing("rating");
        }
        if (in.getRating() < 1 || in.getRating() > 5) {
            throw ApiException.invalid("rating", "rating must be an integer from 1 to 5");
        }
        String summary = in.getSummary() == null ? "" : text("summary", in.getSummary());
        if (length(summary) > MAX_SUMMARY) {
            throw ApiException.invalid("summary", "summary must be at most " + MAX_SUMMARY + " characters");
        }
        String body = text("body", required("body", in.getBody()));
        if (body.isBlank()) {
            throw ApiException.invalid("body", "body must not be blank");
        }
        if (length(body) < MIN_BODY || length(body) > MAX_BODY) {
            throw ApiException.invalid("body", "body must be " + MIN_BODY + " to " + MAX_BODY + " characters, not "
                    + length(body));
        }
        if (in.getRecommend() == null) {
            throw missing("recommend");
        }
        String name = text("name", required("name", in.getName())).strip();
        if (name.isEmpty() || length(name) > MAX_NAME) {
            throw ApiException.invalid("name", "name must be 1 to " + MAX_NAME + " characters");
        }
        String email = text("email", required("email", in.getEmail())).strip();
        if (length(email) > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            throw ApiException.invalid("email", "email must be an email address of at most " + MAX_EMAIL + " characters");
        }
        List<String> photos = in.getPhotos() == null ? List.of() : in.getPhotos();
        if (photos.size() > MAX_PHOTOS) {
            throw ApiException.invalid("photos", "photos must hold at most " + MAX_PHOTOS + " URLs");
        }
        for (int i = 0; i < photos.size(); i++) {
            checkUrl(JsonPath.index("photos", i), photos.get(i));
        }
        TreeMap<Integer, Integer> characteristics = new TreeMap<>();
        Map<String, Integer> given = in.getCharacteristics() == null ? Map.of() : in.getCharacteristics();
        for (Map.Entry<String, Integer> e : given.entrySet()) {
            String field = JsonPath.field("characteristics", e.getKey());
            OptionalInt id = StrictInteger.parse(e.getKey());
            if (id.isEmpty() || id.getAsInt() < 1) {
                throw ApiException.invalid(field, "characteristic ids must be positive integers");
            }
            if (e.getValue() == null || e.getValue() < 1 || e.getValue() > 5) {
                throw ApiException.invalid(field, field + " must be an integer from 1 to 5");
            }
            if (characteristics.put(id.getAsInt(), e.getValue()) != null) {
                throw ApiException.invalid(field, "characteristic " + id.getAsInt() + " is given twice");
            }
        }
        return new ReviewSubmission(in.getProductId(), in.getRating(), summary, body, in.getRecommend(), name, email,
                List.copyOf(photos), characteristics);
    }

    /**
     * The review as compact JSON with its fields in a fixed order: equal for two bodies that ask for the same review
     * however the client spaced or ordered them (the Idempotency-Key fingerprint).
     */
    public String canonicalJson() {
        try {
            return CANONICAL.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a review always renders as JSON", e);
        }
    }

    private static ApiException missing(String field) {
        return ApiException.invalid(field, field + " is required");
    }

    private static String required(String field, String value) {
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    /** PostgreSQL text cannot hold NUL, and other control characters have no place in a review. */
    private static String text(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f) {
                throw ApiException.invalid(field, field + " contains a control character");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(++i)))) {
                throw ApiException.invalid(field, field + " contains invalid unicode");
            }
        }
        return value;
    }

    /** Characters as people count them (code points), so an emoji is one. */
    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    private static void checkUrl(String field, String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.invalid(field, field + " must be an http(s) URL");
        }
        if (url.length() > MAX_URL) {
            throw ApiException.invalid(field, field + " must be at most " + MAX_URL + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw ApiException.invalid(field, field + " must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw ApiException.invalid(field, field + " is not a valid URL: " + e.getReason());
        }
    }
}
