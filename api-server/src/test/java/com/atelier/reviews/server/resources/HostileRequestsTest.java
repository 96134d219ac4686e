package com.atelier.reviews.server.resources;

import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.server.RawHttp;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile requests, table-driven, against a live node on its own database, byte for byte over a socket. Each
 * rejected request must answer its documented status in the documented shape (the contract's ErrorMessage naming
 * the field, or the legacy product_id text), leak no Java internals, and leave every table exactly as it was
 * (row counts and an md5 of every row). Each accepted one (unicode, emoji, SQL text in fields: data, not code)
 * must store exactly what was sent and keep the aggregates exact.
 */
class HostileRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LEGACY_TEXT = "Error: invalid product_id provided";
    private static final String BODY = "A perfectly reasonable review body that is comfortably over fifty characters.";
    private static final String EMOJI = "\uD83D\uDE00"; // 😀, two UTF-16 chars, one character, 4 UTF-8 bytes
    private static final int LIMIT = 64 * 1024;

    static final String LIST = "GET /reviews";
    static final String META = "GET /reviews/meta";
    static final String ADD = "POST /reviews";
    static final String HELPFUL = "PUT /reviews/{id}/helpful";
    static final String REPORT = "PUT /reviews/{id}/report";
    static final String QUEUE = "GET /moderation/reports";
    static final String RESTORE = "PUT /moderation/reviews/{id}/restore";
    static final String REMOVE = "PUT /moderation/reviews/{id}/remove";
    static final String RESPONSE = "PUT /moderation/reviews/{id}/response";
    static final String OTHER = "other paths";

    private static RunningApp app;
    private static RawHttp http;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("hostile");
        http = new RawHttp("127.0.0.1", URI.create(app.baseUri()).getPort());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The tests

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectedWithTheDocumentedErrorAndNothingWritten(Rejected c) throws Exception {
        String before = snapshot();
        RawHttp.Response r = http.send(c.request());
        if (c.legacy()) {
            assertThat(r.status()).as(r.toString()).isEqualTo(422);
            assertThat(r.header("Content-Type")).startsWith("text/plain");
            assertThat(r.text()).isEqualTo(LEGACY_TEXT);
        } else {
            assertThat(r.status()).as(r.toString()).isEqualTo(c.status());
            assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/json");
            JsonNode error = JSON.readTree(r.body());
            assertThat(error.get("code").asInt()).as(r.toString()).isEqualTo(c.status());
            assertThat(error.get("message").asText()).as(r.toString()).isNotBlank();
            if (c.field() == null) {
                assertThat(error.has("field")).as("no field expected: " + r).isFalse();
            } else {
                assertThat(error.path("field").asText()).as(r.toString()).isEqualTo(c.field());
            }
        }
        assertNoInternals(r);
        assertThat(snapshot()).as("the database is unchanged").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptedAndStoredExactlyAsSent(Accepted c) throws Exception {
        long reviews = count("reviews");
        long photos = count("reviews_photos");
        long values = count("characteristic_reviews");
        RawHttp.Response r = http.send(c.request());
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.text()).isEqualTo("Created");
        assertThat(count("reviews")).isEqualTo(reviews + 1);
        assertThat(count("reviews_photos")).isEqualTo(photos + c.photos().size());
        assertThat(count("characteristic_reviews")).isEqualTo(values + c.characteristics());
        try (Connection db = app.database().connect(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("""
                     SELECT r.reviewer_name, r.summary, r.body, r.reviewer_email,
                            coalesce((SELECT json_agg(p.url ORDER BY p.id) FROM reviews_photos p WHERE p.review_id = r.id),
                                     '[]')::text
                       FROM reviews r ORDER BY r.id DESC LIMIT 1""")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(c.reviewerName());
            assertThat(rs.getString(2)).isEqualTo(c.summary());
            assertThat(rs.getString(3)).isEqualTo(c.body());
            assertThat(rs.getString(4)).isEqualTo(c.email());
            assertThat(JSON.readValue(rs.getString(5), List.class)).isEqualTo(c.photos());
        }
        assertThat(AggregateCheck.differences(app.database())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lenient")
    void lenientLikeTheLegacyApiAnsweringWhatTheDefaultsAnswer(Lenient c) throws Exception {
        String before = snapshot();
        RawHttp.Response r = http.send(get(c.target()));
        RawHttp.Response same = http.send(get(c.equivalent()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode list = JSON.readTree(r.body());
        assertThat(list).as("%s answers what %s answers", c.target(), c.equivalent()).isEqualTo(JSON.readTree(same.body()));
        assertThat(list.get("results")).as("product 2 has reviews").isNotEmpty();
        assertNoInternals(r);
        assertThat(snapshot()).as("the database is unchanged").isEqualTo(before);
    }

    /** The table's size and spread, printed for the report. */
    @Test
    void theTableCoversEveryEndpoint() {
        Map<String, Long> perEndpoint = new TreeMap<>(Stream.of(
                        rejected().map(Rejected::endpoint), accepted().map(a -> ADD), lenient().map(l -> LIST))
                .flatMap(e -> e)
                .collect(Collectors.groupingBy(e -> e, Collectors.counting())));
        long total = perEndpoint.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("hostile requests: " + total + " " + perEndpoint + " (accepted: " + accepted().count()
                + ", lenient: " + lenient().count() + ")");
        assertThat(total).isGreaterThanOrEqualTo(150);
        for (String endpoint : List.of(LIST, META, ADD, HELPFUL, REPORT, QUEUE, RESTORE, REMOVE, RESPONSE)) {
            assertThat(perEndpoint.getOrDefault(endpoint, 0L)).as(endpoint).isGreaterThanOrEqualTo(15);
        }
        assertThat(rejected().map(Rejected::toString).toList()).as("case names are unique").doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The cases

    static Stream<Rejected> rejected() {
        return Stream.of(listCases(), metaCases(), addCases(), putCases(HELPFUL, "helpful"),
                putCases(REPORT, "report"), queueCases(), putCases(RESTORE, "/moderation/reviews/", "restore"),
                putCases(REMOVE, "/moderation/reviews/", "remove"), putCases(RESPONSE, "/moderation/reviews/", "response"),
                responseCases(), otherCases()).flatMap(List::stream);
    }

    /** The bad values of an integer query or path parameter (URI-encoded), by what makes each bad. */
    private static final Map<String, String> BAD_INTEGERS = HostileRequestsTest.<String>orderedMap(
            "letters", "abc",
            "plus sign", "%2B5",
            "plus as space", "+5",
            "decimal", "5.0",
            "hex", "0x10",
            "exponent", "1e3",
            "negative", "-1",
            "zero", "0",
            "2^31", "2147483648",
            "2^63", "9223372036854775808",
            "10^30", "1000000000000000000000000000000",
            "fullwidth digit", "%EF%BC%95",
            "arabic-indic digit", "%D9%A5",
            "emoji", "%F0%9F%98%80",
            "leading space", "%205",
            "trailing space", "5%20",
            "tab", "5%09",
            "NUL", "5%00",
            "SQL injection", "1%20OR%201%3D1",
            "SQL injection quoted", "1%27%3B%20DROP%20TABLE%20reviews%3B--",
            "list", "1%2C2",
            "bad percent-encoding", "%zz",
            "23 digits", "00000000000000000000005");

    static List<Rejected> listCases() {
        List<Rejected> cases = new ArrayList<>();
        cases.add(legacy(LIST, "no product_id", get("/reviews")));
        cases.add(legacy(LIST, "empty product_id", get("/reviews?product_id=")));
        cases.add(legacy(LIST, "product_id[] is not product_id", get("/reviews?product_id%5B%5D=5")));
        BAD_INTEGERS.forEach((what, value) ->
                cases.add(legacy(LIST, "product_id " + what, get("/reviews?product_id=" + value))));
        cases.add(json(LIST, "product_id twice", get("/reviews?product_id=1&product_id=2"), 400, "product_id"));
        cases.add(json(LIST, "product_id twice, same value", get("/reviews?product_id=2&product_id=2"), 400,
                "product_id"));
        cases.add(json(LIST, "page twice", get("/reviews?product_id=2&page=1&page=2"), 400, "page"));
        cases.add(json(LIST, "count twice", get("/reviews?product_id=2&count=1&count=5"), 400, "count"));
        cases.add(json(LIST, "sort twice", get("/reviews?product_id=2&sort=newest&sort=helpful"), 400, "sort"));
        // "zero" is not among them: page=0 and count=0 mean the defaults (legacy leniency, see lenient()).
        for (String what : List.of("letters", "plus sign", "decimal", "hex", "negative", "2^31", "2^63",
                "10^30", "fullwidth digit", "emoji", "leading space", "bad percent-encoding")) {
            cases.add(json(LIST, "page " + what, get("/reviews?product_id=2&page=" + BAD_INTEGERS.get(what)), 400,
                    "page"));
        }
        for (String what : List.of("letters", "plus as space", "decimal", "negative", "2^31", "10^30",
                "arabic-indic digit", "SQL injection", "tab", "NUL")) {
            cases.add(json(LIST, "count " + what, get("/reviews?product_id=2&count=" + BAD_INTEGERS.get(what)), 400,
                    "count"));
        }
        cases.add(json(LIST, "count 1000001", get("/reviews?product_id=2&count=1000001"), 400, "count"));
        cases.add(json(LIST, "page past the last int offset", get("/reviews?product_id=2&page=1000000&count=1000000"),
                400, "page"));
        cases.add(json(LIST, "page=0 twice", get("/reviews?product_id=2&page=0&page=0"), 400, "page"));
        cases.add(json(LIST, "count=0 and count=5", get("/reviews?product_id=2&count=0&count=5"), 400, "count"));
        cases.add(json(LIST, "sort twice, an unknown one", get("/reviews?product_id=2&sort=oldest&sort=newest"), 400,
                "sort"));
        cases.add(json(LIST, "count 1000001 on the trailing-slash path", get("/reviews/?product_id=2&count=1000001"),
                400, "count"));
        cases.add(legacy(LIST, "product_id letters on the trailing-slash path", get("/reviews/?product_id=abc")));
        cases.add(json(LIST, "1 MiB body on a GET", request("GET", "/reviews?product_id=2", List.of(),
                spaces(1024 * 1024)), 413, null));
        cases.add(json(LIST, "chunked 100 KiB body on a GET", chunked("GET", "/reviews?product_id=2", List.of(),
                spaces(100 * 1024)), 413, null));
        cases.add(json(LIST, "Content-Type not a media type", request("GET", "/reviews?product_id=2",
                List.of("Content-Type: garbage"), null), 415, "Content-Type"));
        cases.add(json(LIST, "header over 8 KiB", request("GET", "/reviews?product_id=2",
                List.of("X-Filler: " + "a".repeat(9000)), null), 431, null));
        cases.add(json(LIST, "URI over 8 KiB", get("/reviews?product_id=2&x=" + "a".repeat(9000)), 414, null));
        cases.add(json(LIST, "raw non-ASCII byte in the query", get("/reviews?product_id=\u00ff"), 400, null));
        cases.add(json(LIST, "HTTP/9.9", raw("GET /reviews?product_id=2 HTTP/9.9\r\nHost: x\r\n\r\n"), 505, null));
        cases.add(json(LIST, "no Host header", raw("GET /reviews?product_id=2 HTTP/1.1\r\nConnection: close\r\n\r\n"),
                400, null));
        return cases;
    }

    static List<Rejected> metaCases() {
        List<Rejected> cases = new ArrayList<>();
        cases.add(legacy(META, "no product_id", get("/reviews/meta")));
        cases.add(legacy(META, "empty product_id", get("/reviews/meta?product_id=")));
        cases.add(legacy(META, "whitespace product_id", get("/reviews/meta?product_id=%20%20")));
        BAD_INTEGERS.forEach((what, value) ->
                cases.add(legacy(META, "product_id " + what, get("/reviews/meta?product_id=" + value))));
        cases.add(legacy(META, "product_id pg_sleep", get("/reviews/meta?product_id=1%3BSELECT%20pg_sleep(10)")));
        cases.add(json(META, "product_id twice", get("/reviews/meta?product_id=1&product_id=2"), 400, "product_id"));
        cases.add(json(META, "product_id three times", get("/reviews/meta?product_id=1&product_id=1&product_id=1"),
                400, "product_id"));
        cases.add(json(META, "chunked 1 MiB body on a GET", chunked("GET", "/reviews/meta?product_id=2", List.of(),
                spaces(1024 * 1024)), 413, null));
        cases.add(json(META, "Content-Type without subtype", request("GET", "/reviews/meta?product_id=2",
                List.of("Content-Type: application/"), null), 415, "Content-Type"));
        cases.add(json(META, "matrix parameter", get("/reviews/meta;product_id=2?product_id=2"), 404, null));
        cases.add(json(META, "sub-path", get("/reviews/meta/extra?product_id=2"), 404, null));
        cases.add(json(META, "POST to meta", request("POST", "/reviews/meta", List.of("Content-Type: application/json"),
                utf8("{}")), 405, null));
        cases.add(json(META, "DELETE meta", request("DELETE", "/reviews/meta?product_id=2", List.of(), null), 405,
                null));
        return cases;
    }

    static List<Rejected> addCases() {
        List<Rejected> cases = new ArrayList<>();
        // Not JSON at all, or not one whole JSON document: 400, no field.
        for (Map.Entry<String, String> e : HostileRequestsTest.<String>orderedMap(
                "unclosed object", "{",
                "plain text", "not json",
                "single quotes", "{'product_id': 5}",
                "trailing comma", "{\"product_id\": 5,}",
                "two documents", "{} {}",
                "trailing garbage", "{\"product_id\": 5} x",
                "comment", "{/* hi */ \"product_id\": 5}",
                "NaN", "{\"rating\": NaN}",
                "leading zero", "{\"rating\": 05}",
                "leading plus", "{\"rating\": +5}",
                "hex number", "{\"rating\": 0x5}",
                "bare fraction", "{\"rating\": .5}",
                "unquoted key", "{rating: 5}",
                "raw control character in a string", "{\"name\": \"a\u0001b\"}",
                "bad escape", "{\"name\": \"\\x41\"}",
                "whitespace only", "   \n\t ").entrySet()) {
            cases.add(json(ADD, "malformed: " + e.getKey(), postJson(e.getValue()), 400, null));
        }
        String valid = review(r -> { });
        cases.add(json(ADD, "truncated at half", postJson(valid.substring(0, valid.length() / 2)), 400, null));
        cases.add(json(ADD, "truncated by one byte", postJson(valid.substring(0, valid.length() - 1)), 400, null));
        cases.add(json(ADD, "truncated inside a \\u escape", postJson("{\"name\": \"\\u00"), 400, null));
        cases.add(json(ADD, "empty body", request("POST", "/reviews", List.of("Content-Type: application/json"),
                new byte[0]), 400, null));
        cases.add(json(ADD, "body shorter than its Content-Length", raw("POST /reviews HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"rating\": 5"),
                400, null));
        cases.add(json(ADD, "invalid UTF-8 in a string", postJson(concat(utf8("{\"name\": \"a"),
                new byte[] {(byte) 0xff, (byte) 0xfe}, utf8("\"}"))), 400, null));
        cases.add(json(ADD, "overlong UTF-8 slash", postJson(concat(utf8("{\"name\": \"a"),
                new byte[] {(byte) 0xc0, (byte) 0xaf}, utf8("\"}"))), 400, null));
        cases.add(json(ADD, "10,000 nested arrays", postJson("[".repeat(10_000) + "]".repeat(10_000)), 400, null));
        cases.add(json(ADD, "10,000 unclosed arrays", postJson("[".repeat(10_000)), 400, null));
        cases.add(json(ADD, "10,000 nested objects", postJson("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)),
                400, null));
        cases.add(json(ADD, "33 levels inside a valid review", postJson(review(r -> r.put("characteristics",
                Map.of("14", nested(33))))), 400, null));

        // Well-formed JSON of the wrong shape or content: 422 naming the field.
        cases.add(json(ADD, "array document", postJson("[1, 2]"), 422, null));
        cases.add(json(ADD, "number document", postJson("42"), 422, null));
        cases.add(json(ADD, "string document", postJson("\"review\""), 422, null));
        cases.add(json(ADD, "null document", postJson("null"), 422, null));
        for (String field : List.of("product_id", "rating", "body", "recommend", "name", "email")) {
            cases.add(json(ADD, "missing " + field, postJson(review(r -> r.remove(field))), 422, field));
            cases.add(json(ADD, "null " + field, postJson(review(r -> r.put(field, null))), 422, field));
        }
        addWrongType(cases, "product_id", "five", " 5", "5.0", 5.0, true, List.of(5), Map.of("id", 5));
        addWrongType(cases, "rating", "\u0665", "+5", "", "4.5", 4.5, 5.0, Double.POSITIVE_INFINITY, true);
        addWrongType(cases, "recommend", 1, "yes", "");
        addWrongType(cases, "name", 5, true, List.of("a"), Map.of());
        addWrongType(cases, "email", 5, List.of("a@example.com"));
        addWrongType(cases, "body", 123, List.of(BODY));
        addWrongType(cases, "summary", 5, false);
        cases.add(json(ADD, "photos as a string", postJson(review(r -> r.put("photos", "https://example.com/a.jpg"))),
                422, "photos"));
        cases.add(json(ADD, "photos as an object", postJson(review(r -> r.put("photos", Map.of("0", "x")))), 422,
                "photos"));
        cases.add(json(ADD, "photo as a number", postJson(review(r -> r.put("photos", List.of(1)))), 422, "photos[0]"));
        cases.add(json(ADD, "photo null", postJson(review(r -> r.put("photos", Arrays.asList((Object) null)))), 422,
                "photos[0]"));
        cases.add(json(ADD, "characteristics as an array", postJson(review(r -> r.put("characteristics",
                List.of(14, 5)))), 422, "characteristics"));
        cases.add(json(ADD, "characteristics as a string", postJson(review(r -> r.put("characteristics", "14:5"))),
                422, "characteristics"));
        for (Map.Entry<String, Object> e : HostileRequestsTest.<Object>orderedMap(
                "value as a non-numeric string", new Object[] {"14", "five"},
                "value as a decimal", new Object[] {"14", 5.0},
                "value null", new Object[] {"14", null},
                "value 0", new Object[] {"14", 0},
                "value 6", new Object[] {"14", 6},
                "value 2^31", new Object[] {"14", 2147483648L},
                "key not a number", new Object[] {"fit", 5},
                "key with plus sign", new Object[] {"+14", 5},
                "key in arabic-indic digits", new Object[] {"\u0661\u0664", 5},
                "key negative", new Object[] {"-14", 5},
                "key zero", new Object[] {"0", 5},
                "key 2^63", new Object[] {"9223372036854775808", 5},
                "key empty", new Object[] {"", 5},
                "key SQL injection", new Object[] {"14; DROP TABLE characteristics", 5},
                "key of another product", new Object[] {"1", 5}).entrySet()) {
            Object[] kv = (Object[]) e.getValue();
            Map<String, Object> characteristics = new LinkedHashMap<>();
            characteristics.put((String) kv[0], kv[1]);
            cases.add(json(ADD, "characteristic " + e.getKey(),
                    postJson(review(r -> r.put("characteristics", characteristics))), 422,
                    "characteristics." + kv[0]));
        }
        cases.add(json(ADD, "characteristic 14 as 14 and 014", postJson(review(r -> r.put("characteristics",
                orderedMap("14", 5, "014", 4)))), 422, "characteristics.014"));
        cases.add(json(ADD, "characteristic key given twice", postJson(review(r -> { })
                .replace("\"characteristics\":{\"14\":3}", "\"characteristics\":{\"14\":3,\"14\":4}")), 422,
                "characteristics.14"));
        cases.add(json(ADD, "rating given twice", postJson(review(r -> { }).replaceFirst("\\{", "{\"rating\":1,")), 422,
                "rating"));
        for (Map.Entry<String, Object> e : HostileRequestsTest.<Object>orderedMap(
                "product_id 2^31", new Object[] {"product_id", 2147483648L},
                "product_id 2^63", new Object[] {"product_id", new java.math.BigInteger("9223372036854775808")},
                "product_id 10^30", new Object[] {"product_id", new java.math.BigInteger("1" + "0".repeat(30))},
                "product_id 0", new Object[] {"product_id", 0},
                "product_id negative", new Object[] {"product_id", -5},
                "rating 0", new Object[] {"rating", 0},
                "rating 6", new Object[] {"rating", 6},
                "rating -1", new Object[] {"rating", -1},
                "rating 2^31", new Object[] {"rating", 2147483648L},
                "body empty", new Object[] {"body", ""},
                "body blank", new Object[] {"body", " ".repeat(60)},
                "body 49 characters", new Object[] {"body", "x".repeat(49)},
                "body 49 emoji", new Object[] {"body", EMOJI.repeat(49)},
                "body 1001 emoji", new Object[] {"body", EMOJI.repeat(1001)},
                "body with NUL", new Object[] {"body", BODY + "\u0000"},
                "summary 61 emoji", new Object[] {"summary", EMOJI.repeat(61)},
                "summary with ESC", new Object[] {"summary", "bold \u001b[1m"},
                "name blank", new Object[] {"name", " \t "},
                "name 61 emoji", new Object[] {"name", EMOJI.repeat(61)},
                "name with NUL", new Object[] {"name", "val\u0000"},
                "email without domain dot", new Object[] {"email", "a@b"},
                "email with SQL", new Object[] {"email", "a@b.co'; DROP TABLE reviews; --"},
                "email 61 characters", new Object[] {"email", "a".repeat(49) + "@example.com"},
                "photos 6", new Object[] {"photos", List.of("http://a.co/1", "http://a.co/2", "http://a.co/3",
                        "http://a.co/4", "http://a.co/5", "http://a.co/6")}).entrySet()) {
            Object[] kv = (Object[]) e.getValue();
            cases.add(json(ADD, e.getKey(), postJson(review(r -> r.put((String) kv[0], kv[1]))), 422, (String) kv[0]));
        }
        // A lone surrogate can only be sent as a JSON escape: as UTF-8 it is not even encodable.
        cases.add(json(ADD, "body with a lone surrogate escape", postJson(review(r -> r.put("body", BODY + "@@"))
                .replace("@@", "\\ud83d")), 422, "body"));
        cases.add(json(ADD, "CESU-8 surrogate bytes", postJson(concat(utf8(review(r -> r.put("body", BODY + "@@"))
                .split("@@")[0]), new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0xbd}, utf8(review(r -> r.put("body",
                BODY + "@@")).split("@@")[1]))), 400, null));
        for (Map.Entry<String, String> e : HostileRequestsTest.<String>orderedMap(
                "javascript URL", "javascript:alert(1)",
                "file URL", "file:///etc/passwd",
                "ftp URL", "ftp://files.example.com/a.jpg",
                "relative URL", "/images/a.jpg",
                "scheme-relative URL", "//example.com/a.jpg",
                "URL without host", "http://",
                "URL with a space", "https://exa mple.com/a.jpg",
                "empty URL", "",
                "URL of 2049 characters", "https://example.com/" + "a".repeat(2029),
                "emoji scheme", "ht" + EMOJI + "tp://example.com/a.jpg").entrySet()) {
            cases.add(json(ADD, "photo " + e.getKey(), postJson(review(r -> r.put("photos", List.of(e.getValue())))),
                    422, "photos[0]"));
        }
        for (String unknown : List.of("review_id", "helpfulness", "reported", "response", "Rating", "__proto__",
                "date")) {
            cases.add(json(ADD, "unknown field " + unknown, postJson(review(r -> r.put(unknown, 1))), 422, unknown));
        }
        // Size: the limit is on the bytes received, declared or chunked.
        cases.add(json(ADD, "64 KiB + 1 byte", postJson(padded(review(r -> { }), LIMIT + 1)), 413, null));
        cases.add(json(ADD, "64 KiB + 1 byte, chunked", chunked("POST", "/reviews",
                List.of("Content-Type: application/json"), padded(review(r -> { }), LIMIT + 1)), 413, null));
        cases.add(json(ADD, "1 MiB", postJson(padded(review(r -> { }), 1024 * 1024)), 413, null));
        cases.add(json(ADD, "1 MiB chunked", chunked("POST", "/reviews", List.of("Content-Type: application/json"),
                padded(review(r -> { }), 1024 * 1024)), 413, null));
        cases.add(json(ADD, "declares 10 GB", raw("POST /reviews HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n{"), 413, null));
        // Content types: only application/json.
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "text/json", "application/json-patch+json")) {
            cases.add(json(ADD, "Content-Type " + type, request("POST", "/reviews", List.of("Content-Type: " + type),
                    utf8(review(r -> { }))), 415, "Content-Type"));
        }
        cases.add(json(ADD, "no Content-Type", request("POST", "/reviews", List.of(), utf8(review(r -> { }))), 415,
                "Content-Type"));
        cases.add(json(ADD, "Content-Type not a media type", request("POST", "/reviews",
                List.of("Content-Type: json"), utf8(review(r -> { }))), 415, "Content-Type"));
        cases.add(json(ADD, "chunked and Content-Length", raw("POST /reviews HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: 3\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 400, null));
        cases.add(json(ADD, "two Content-Lengths", raw("POST /reviews HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"), 400, null));
        cases.add(json(ADD, "bad chunk size", raw("POST /reviews HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), 400,
                null));
        return cases;
    }

    static List<Rejected> putCases(String endpoint, String action) {
        return putCases(endpoint, "/reviews/", action);
    }

    /** The bad review ids, paths, methods and envelopes of a PUT on {@code prefix + id + "/" + action}. */
    static List<Rejected> putCases(String endpoint, String prefix, String action) {
        List<Rejected> cases = new ArrayList<>();
        if (!prefix.equals("/reviews/")) {
            for (Rejected r : putCases(endpoint, action)) {
                String request = new String(r.request(), StandardCharsets.ISO_8859_1);
                // A PUT .../response without a body answers 400 for the body before looking the review up.
                boolean unknownReview = r.status() == 404 && "review_id".equals(r.field());
                if (request.matches("(?s)^[A-Z]+ /reviews/.*") && !(action.equals("response") && unknownReview)) {
                    String moved = request.replaceFirst(" /reviews/", " " + prefix);
                    cases.add(new Rejected(endpoint, "moderation " + r.name(), moved.getBytes(StandardCharsets.ISO_8859_1),
                            r.legacy(), r.status(), r.field()));
                }
            }
            return cases;
        }
        for (String what : List.of("letters", "plus sign", "plus as space", "decimal", "hex", "exponent",
                "negative", "zero", "2^31", "2^63", "10^30", "fullwidth digit", "arabic-indic digit", "emoji",
                "leading space", "trailing space", "SQL injection", "SQL injection quoted", "list",
                "23 digits")) {
            cases.add(json(endpoint, action + " review_id " + what,
                    put("/reviews/" + BAD_INTEGERS.get(what) + "/" + action), 400, "review_id"));
        }
        cases.add(json(endpoint, action + " review_id with an encoded slash", put("/reviews/1%2F2/" + action), 400,
                "review_id"));
        cases.add(json(endpoint, action + " review_id with an encoded semicolon",
                put("/reviews/1%3BDROP%20TABLE%20reviews/" + action), 400, "review_id"));
        cases.add(json(endpoint, action + " unknown review", put("/reviews/999999/" + action), 404, "review_id"));
        cases.add(json(endpoint, action + " unknown review 2^31-1", put("/reviews/2147483647/" + action), 404,
                "review_id"));
        cases.add(json(endpoint, action + " matrix parameter", put("/reviews/1;DROP%20TABLE%20reviews/" + action), 404,
                null));
        cases.add(json(endpoint, action + " empty review_id", put("/reviews//" + action), 400, null));
        cases.add(json(endpoint, action + " extra segment", put("/reviews/1/" + action + "/extra"), 404, null));
        cases.add(json(endpoint, action + " upper case", put("/reviews/1/" + action.toUpperCase()), 404, null));
        cases.add(json(endpoint, action + " bad percent-encoding", put("/reviews/%zz/" + action), 400, null));
        cases.add(json(endpoint, action + " encoded dot segment", put("/reviews/%2e%2e/" + action), 400, null));
        cases.add(json(endpoint, action + " path traversal", put("/reviews/../../../etc/passwd"), 400, null));
        cases.add(json(endpoint, action + " raw non-ASCII byte", put("/reviews/\u00ff/" + action), 400, null));
        cases.add(json(endpoint, action + " 1 MiB body", request("PUT", "/reviews/1/" + action,
                List.of("Content-Type: application/json"), spaces(1024 * 1024)), 413, null));
        cases.add(json(endpoint, action + " 100 KiB chunked body", chunked("PUT", "/reviews/1/" + action,
                List.of("Content-Type: application/json"), spaces(100 * 1024)), 413, null));
        cases.add(json(endpoint, action + " Content-Type not a media type", request("PUT", "/reviews/1/" + action,
                List.of("Content-Type: /json"), new byte[0]), 415, "Content-Type"));
        for (String method : List.of("GET", "POST", "DELETE", "PATCH")) {
            cases.add(json(endpoint, method + " " + action, request(method, "/reviews/1/" + action, List.of(),
                    null), 405, null));
        }
        return cases;
    }

    /** The queue's paging parameters follow GET /reviews' rules (the same messages). */
    static List<Rejected> queueCases() {
        List<Rejected> cases = new ArrayList<>();
        for (String param : List.of("page", "count")) {
            for (String what : List.of("letters", "plus sign", "decimal", "hex", "negative", "2^31", "fullwidth digit",
                    "emoji", "leading space", "SQL injection", "list")) {
                cases.add(json(QUEUE, "queue " + param + " " + what,
                        get("/moderation/reports?" + param + "=" + BAD_INTEGERS.get(what)), 400, param));
            }
            cases.add(json(QUEUE, "queue " + param + " over the maximum", get("/moderation/reports?" + param
                    + "=1000001"), 400, param));
            cases.add(json(QUEUE, "queue " + param + " twice", get("/moderation/reports?" + param + "=1&" + param
                    + "=1"), 400, param));
        }
        cases.add(json(QUEUE, "queue page beyond int range for count", get("/moderation/reports?page=1000000"
                + "&count=1000000"), 400, "page"));
        cases.add(json(QUEUE, "queue 1 MiB body", request("GET", "/moderation/reports",
                List.of("Content-Type: application/json"), spaces(1024 * 1024)), 413, null));
        for (String method : List.of("POST", "DELETE", "PATCH")) {
            cases.add(json(QUEUE, method + " queue", request(method, "/moderation/reports", List.of(), null), 405,
                    null));
        }
        return cases;
    }

    /** The merchant response's body: JSON syntax first (400), then the field (422), then the review (404). */
    static List<Rejected> responseCases() {
        List<Rejected> cases = new ArrayList<>();
        String target = "/moderation/reviews/1/response";
        Map<String, String> invalid = HostileRequestsTest.<String>orderedMap(
                "response a number", "{\"response\": 5}",
                "response a boolean", "{\"response\": true}",
                "response an object", "{\"response\": {\"text\": \"hi\"}}",
                "response an array", "{\"response\": [\"hi\"]}",
                "response empty", "{\"response\": \"\"}",
                "response only whitespace", "{\"response\": \" \\t\\n \"}",
                "response 1001 characters", "{\"response\": \"" + "x".repeat(1001) + "\"}",
                "response 1001 emoji", "{\"response\": \"" + EMOJI.repeat(1001) + "\"}",
                "response given twice", "{\"response\": \"a\", \"response\": \"b\"}",
                "unknown field", "{\"response\": \"thanks\", \"admin\": true}");
        invalid.forEach((what, json) -> cases.add(json(RESPONSE, what, putJson(target, utf8(json)), 422,
                what.equals("unknown field") ? "admin" : "response")));
        cases.add(json(RESPONSE, "body not an object", putJson(target, utf8("\"thanks\"")), 422, null));
        for (Map.Entry<String, byte[]> bad : Map.of(
                "body not JSON", utf8("response=thanks"),
                "body truncated", utf8("{\"response\": \"tha"),
                "body empty", new byte[0],
                "body two documents", utf8("{\"response\": null} {}"),
                "body nested 33 deep", utf8("{\"response\": " + "[".repeat(33) + "]".repeat(33) + "}"),
                "body invalid UTF-8", concat(utf8("{\"response\": \""), new byte[]{(byte) 0xC0, (byte) 0xAF},
                        utf8("\"}"))).entrySet()) {
            cases.add(json(RESPONSE, bad.getKey(), putJson(target, bad.getValue()), 400, null));
        }
        cases.add(json(RESPONSE, "response as text/plain", request("PUT", target, List.of("Content-Type: text/plain"),
                utf8("thanks")), 415, "Content-Type"));
        cases.add(json(RESPONSE, "unknown review's response", putJson("/moderation/reviews/999999/response",
                utf8("{\"response\": \"thanks\"}")), 404, "review_id"));
        return cases;
    }

    private static byte[] putJson(String target, byte[] body) {
        return request("PUT", target, List.of("Content-Type: application/json"), body);
    }

    static List<Rejected> otherCases() {
        List<Rejected> cases = new ArrayList<>();
        for (String path : List.of("/", "/nope", "/review", "/REVIEWS?product_id=2", "/reviews/1",
                "/reviews/1/helpful/../../meta/extra", "/api/reviews?product_id=2", "/reviews.json?product_id=2",
                "/%F0%9F%98%80")) {
            cases.add(json(OTHER, "GET " + path, get(path), 404, null));
        }
        for (String method : List.of("DELETE", "PUT", "PATCH", "TRACE", "FOO")) {
            cases.add(json(OTHER, method + " /reviews", request(method, "/reviews?product_id=2", List.of(), null), 405,
                    null));
        }
        cases.add(json(OTHER, "not HTTP", raw("BLAH\r\n\r\n"), 400, null));
        return cases;
    }

    /**
     * Values the legacy API took for its defaults, which front ends send (openapi.yaml, "Legacy leniency"): each
     * answers exactly what its equivalent answers.
     */
    static Stream<Lenient> lenient() {
        return Stream.of(
                new Lenient("page zero", "/reviews?product_id=2&page=0&count=2", "/reviews?product_id=2&page=1&count=2"),
                new Lenient("page 000", "/reviews?product_id=2&page=000&count=2", "/reviews?product_id=2&page=1&count=2"),
                new Lenient("count zero", "/reviews?product_id=2&count=0", "/reviews?product_id=2&count=5"),
                new Lenient("count 00", "/reviews?product_id=2&count=00&sort=newest", "/reviews?product_id=2&sort=newest"),
                new Lenient("page and count zero", "/reviews?product_id=2&page=0&count=0", "/reviews?product_id=2"),
                new Lenient("the front end after switching products", "/reviews/?product_id=2&sort=relevant&count=0",
                        "/reviews?product_id=2&sort=relevant&count=5"),
                new Lenient("the front end after posting", "/reviews/?product_id=2&sort=relevance&count=7",
                        "/reviews?product_id=2&sort=relevant&count=7"),
                new Lenient("sort new", "/reviews?product_id=2&sort=new", "/reviews?product_id=2&sort=newest"),
                new Lenient("sort NEWEST", "/reviews?product_id=2&sort=NEWEST", "/reviews?product_id=2&sort=newest"),
                new Lenient("sort Helpfulness", "/reviews?product_id=2&sort=Helpfulness",
                        "/reviews?product_id=2&sort=helpful"),
                new Lenient("sort HELPFUL", "/reviews?product_id=2&sort=HELPFUL", "/reviews?product_id=2&sort=helpful"),
                new Lenient("sort RELEVANCE", "/reviews?product_id=2&sort=RELEVANCE&count=10",
                        "/reviews?product_id=2&count=10"),
                new Lenient("sort unknown", "/reviews?product_id=2&sort=oldest&count=10",
                        "/reviews?product_id=2&sort=relevant&count=10"),
                new Lenient("sort SQL injection", "/reviews?product_id=2&sort=newest%3B%20DROP%20TABLE%20reviews",
                        "/reviews?product_id=2"),
                new Lenient("sort SQL expression", "/reviews?product_id=2&sort=id%20DESC%2C%20(SELECT%201)",
                        "/reviews?product_id=2"),
                new Lenient("sort emoji", "/reviews?product_id=2&sort=%F0%9F%98%80", "/reviews?product_id=2"),
                new Lenient("sort padded", "/reviews?product_id=2&sort=%20newest", "/reviews?product_id=2"),
                new Lenient("sort NUL", "/reviews?product_id=2&sort=newest%00", "/reviews?product_id=2"),
                new Lenient("sort of 2 KiB", "/reviews?product_id=2&sort=" + "x".repeat(2048), "/reviews?product_id=2"),
                new Lenient("sort dotted-I upper case", "/reviews?product_id=2&sort=NEWEST%C4%B0", "/reviews?product_id=2"),
                new Lenient("empty sort, page and count", "/reviews?product_id=2&sort=&page=&count=",
                        "/reviews?product_id=2"));
    }

    static Stream<Accepted> accepted() {
        List<Accepted> cases = new ArrayList<>();
        cases.add(accepted("emoji name", r -> r.put("name", "\uD83E\uDD84 unicorn \uD83C\uDF08")));
        cases.add(accepted("body of exactly 50 emoji", r -> r.put("body", EMOJI.repeat(50))));
        cases.add(accepted("body of exactly 1000 emoji", r -> r.put("body", EMOJI.repeat(1000))));
        cases.add(accepted("summary of exactly 60 emoji", r -> r.put("summary", EMOJI.repeat(60))));
        cases.add(accepted("name of 60 CJK characters", r -> r.put("name", "\u8a55".repeat(60))));
        cases.add(accepted("arabic body with a right-to-left override",
                r -> r.put("body", "\u202e" + "\u0645\u0631\u062d\u0628\u0627 ".repeat(12))));
        cases.add(accepted("combining accents", r -> r.put("summary", "Cafe\u0301 tre\u0300s bien")));
        cases.add(accepted("escaped surrogate pair", r -> r.put("name", "\uD83D\uDE00 escaped")));
        cases.add(accepted("SQL injection in name", r -> r.put("name", "Robert'); DROP TABLE reviews;--")));
        cases.add(accepted("SQL injection in body",
                r -> r.put("body", "' OR '1'='1'; DELETE FROM reviews WHERE '1'='1'; -- " + BODY)));
        cases.add(accepted("SQL injection in summary",
                r -> r.put("summary", "'; UPDATE product_review_stats SET rating_5 = 999; --")));
        cases.add(accepted("quote and plus in email", r -> r.put("email", "o'brien+test@example.com")));
        cases.add(accepted("SQL text in a photo URL",
                r -> r.put("photos", List.of("https://example.com/a.jpg?x=1';DROP%20TABLE%20reviews_photos;--"))));
        cases.add(accepted("unicode photo URL", r -> r.put("photos", List.of("https://example.com/\u0444\u043e\u0442\u043e.jpg"))));
        cases.add(accepted("script tag in name (stored as text)", r -> r.put("name", "<script>alert(1)</script>")));
        cases.add(accepted("tabs, newlines and backslashes", r -> r.put("body", "Line one\n\tLine two \\ C:\\dir\r\n"
                + BODY)));
        cases.add(accepted("numbers and booleans as strings, as a form sends them (the legacy API took them)", r -> {
            r.put("product_id", "5");
            r.put("rating", "4");
            r.put("recommend", "true");
            r.put("characteristics", Map.of("14", "3"));
        }));
        cases.add(accepted("null optional fields", r -> {
            r.put("summary", null);
            r.put("photos", null);
            r.put("characteristics", null);
        }));
        cases.add(new Accepted("exactly 64 KiB with whitespace", postJson(padded(review(r -> { }), LIMIT)),
                reviewFields()));
        return cases.stream();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Building requests

    /** A case that must be refused: {@code legacy} means the 422 product_id text, else an ErrorMessage. */
    record Rejected(String endpoint, String name, byte[] request, boolean legacy, int status, String field) {
        @Override
        public String toString() {
            return endpoint + ": " + name;
        }
    }

    /** A case the legacy API took for its defaults: it must answer exactly what {@code equivalent} answers. */
    record Lenient(String name, String target, String equivalent) {
        @Override
        public String toString() {
            return LIST + ": " + name + " (" + target + ")";
        }
    }

    /** A case that must be stored: the review fields as sent. */
    record Accepted(String label, byte[] request, Map<String, Object> fields) {
        String summary() {
            return fields.get("summary") == null ? "" : (String) fields.get("summary");
        }

        String body() {
            return (String) fields.get("body");
        }

        String reviewerName() {
            return (String) fields.get("name");
        }

        String email() {
            return (String) fields.get("email");
        }

        @SuppressWarnings("unchecked")
        List<String> photos() {
            return fields.get("photos") == null ? List.of() : (List<String>) fields.get("photos");
        }

        int characteristics() {
            return fields.get("characteristics") == null ? 0 : ((Map<?, ?>) fields.get("characteristics")).size();
        }

        @Override
        public String toString() {
            return ADD + ": " + label;
        }
    }

    private static Rejected legacy(String endpoint, String name, byte[] request) {
        return new Rejected(endpoint, name, request, true, 422, null);
    }

    private static Rejected json(String endpoint, String name, byte[] request, int status, String field) {
        return new Rejected(endpoint, name, request, false, status, field);
    }

    private static Accepted accepted(String name, Consumer<Map<String, Object>> change) {
        Map<String, Object> fields = reviewFields();
        change.accept(fields);
        return new Accepted(name, postJson(write(fields)), fields);
    }

    private static void addWrongType(List<Rejected> cases, String field, Object... values) {
        for (Object value : values) {
            String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
            String json = review(r -> r.put(field, "__VALUE__"));
            String literal = value instanceof Double d && d.isInfinite() ? "1e400" : write(value);
            cases.add(json(ADD, field + " as " + shown, postJson(json.replace("\"__VALUE__\"", literal)), 422, field));
        }
    }

    private static Map<String, Object> reviewFields() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("product_id", 5);
        r.put("rating", 4);
        r.put("summary", "Fine");
        r.put("body", BODY);
        r.put("recommend", true);
        r.put("name", "val");
        r.put("email", "val@example.com");
        r.put("photos", List.of());
        r.put("characteristics", Map.of("14", 3));
        return r;
    }

    private static String review(Consumer<Map<String, Object>> change) {
        Map<String, Object> r = reviewFields();
        change.accept(r);
        return write(r);
    }

    private static Object nested(int depth) {
        Object value = 1;
        for (int i = 0; i < depth; i++) {
            value = List.of(value);
        }
        return value;
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON followed by spaces up to exactly {@code size} bytes: still one valid document. */
    private static byte[] padded(String json, int size) {
        byte[] bytes = utf8(json);
        byte[] out = Arrays.copyOf(bytes, size);
        Arrays.fill(out, bytes.length, size, (byte) ' ');
        return out;
    }

    private static byte[] spaces(int size) {
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) ' ');
        return out;
    }

    private static byte[] get(String target) {
        return request("GET", target, List.of(), null);
    }

    private static byte[] put(String target) {
        return request("PUT", target, List.of(), null);
    }

    private static byte[] postJson(String json) {
        return postJson(utf8(json));
    }

    private static byte[] postJson(byte[] body) {
        return request("POST", "/reviews", List.of("Content-Type: application/json"), body);
    }

    /** The request head is ISO-8859-1, so "\u00ff" in a target is the raw byte 0xFF. */
    private static byte[] request(String method, String target, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        return concat(head.toString().getBytes(StandardCharsets.ISO_8859_1), body == null ? new byte[0] : body);
    }

    private static byte[] chunked(String method, String target, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: close\r\nTransfer-Encoding: chunked\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        for (int off = 0; off < body.length; off += 8192) {
            int n = Math.min(8192, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static byte[] raw(String request) {
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> orderedMap(Object... keysAndValues) {
        Map<String, V> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
        }
        return map;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checks

    /** No stack trace, Java class or package name, or HTML page in an answer. */
    private static void assertNoInternals(RawHttp.Response r) {
        String text = r.text();
        for (String leak : List.of("Exception", "java.", "jakarta.", "javax.", "com.atelier", "org.eclipse",
                "org.glassfish", "com.fasterxml", "jackson", "\tat ", ".java:", "<html", "<h1>", "<pre>",
                "StreamReadConstraints", "NewReview")) {
            assertThat(text).as("answer leaks %s: %s", leak, text).doesNotContainIgnoringCase(leak);
        }
    }

    /** Row counts and an md5 of every row of the seven tables a write can touch. */
    private static String snapshot() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection db = app.database().connect(); Statement s = db.createStatement()) {
            for (String table : List.of("reviews", "reviews_photos", "characteristic_reviews", "product_review_stats",
                    "characteristic_stats", "review_reports", "moderation_audit")) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY "
                        + "t::text), '')) FROM " + table + " t")) {
                    rs.next();
                    sb.append(table).append('=').append(rs.getLong(1)).append(':').append(rs.getString(2)).append(' ');
                }
            }
        }
        return sb.toString();
    }

    private static long count(String table) throws Exception {
        try (Connection db = app.database().connect(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
