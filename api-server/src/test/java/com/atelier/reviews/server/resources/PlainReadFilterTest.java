package com.atelier.reviews.server.resources;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.RawHttp;
import com.atelier.reviews.server.RunningApp;
import com.atelier.reviews.server.auth.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import org.eclipse.jetty.servlet.FilterMapping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain-read path answers exactly what Jersey answers (status, every header but Date, the same bytes, gzip and
 * CORS included), on a miss and on a hit, counts in the endpoint's metrics, and leaves to Jersey every request it is
 * not sure of: requests not in plain form (so a cached product never hides a parameter error) and refused callers.
 * Whether Jersey ran is read off its request-filtering timer, which only Jersey's filter chain feeds. Database
 * failures on this path: DatabaseFaultsTest (its reads are in plain form).
 */
class PlainReadFilterTest {

    private static final String API = "com.atelier.reviews.contract.api.ReviewsApi.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient ADMIN = HttpClient.newHttpClient();

    private static RunningApp open;
    private static RunningApp keyed;
    private static String readerKey;
    private static RawHttp openHttp;
    private static RawHttp keyedHttp;

    @BeforeAll
    static void start() throws InterruptedException {
        open = RunningApp.withSampleData("plain-read-filter", ConfigOverride.config("outOfRotationWhenUnhealthy", "true"));
        ScratchDatabase db = open.database();
        readerKey = Keys.create(db, "hit-reader", "read");
        keyed = RunningApp.start(db, ConfigOverride.config("auth.required", "true"));
        openHttp = new RawHttp("127.0.0.1", URI.create(open.baseUri()).getPort());
        keyedHttp = new RawHttp("127.0.0.1", URI.create(keyed.baseUri()).getPort());
        open.awaitCachesTrusted();
        keyed.awaitCachesTrusted();
    }

    @AfterAll
    static void stop() {
        keyed.stop();
        open.close();
    }

    @Test
    void aMissAndAHitAnswerTheBytesAndHeadersJerseyAnswers() {
        List<List<String>> cases = List.of(
                List.of("/reviews?product_id=2", "listReviews"),
                List.of("/reviews?product_id=1000011&page=2&count=3&sort=newest", "listReviews",
                        "Accept-Encoding: gzip"),
                List.of("/reviews?count=0&sort=Helpful&product_id=4", "listReviews", "Accept: application/json"),
                List.of("/reviews/meta?product_id=1000011", "getReviewMeta", "Accept-Encoding: gzip",
                        "Origin: https://shop.example"),
                List.of("/reviews/meta?product_id=1", "getReviewMeta",
                        "Accept: application/json, text/plain, */*"));
        for (List<String> c : cases) {
            String path = c.get(0);
            String operation = c.get(1);
            String[] headers = c.subList(2, c.size()).toArray(String[]::new);

            long jerseyBefore = jerseyRequests(open, operation);
            RawHttp.Response miss = openHttp.send(get(path, headers));
            RawHttp.Response hit = openHttp.send(get(path, headers));
            assertThat(jerseyRequests(open, operation)).as("%s: neither went through Jersey", path)
                    .isEqualTo(jerseyBefore);
            // An unknown parameter is not plain form: Jersey answers from the same cached entry.
            RawHttp.Response jersey = openHttp.send(get(path + "&_=17", headers));
            assertThat(jerseyRequests(open, operation)).isEqualTo(jerseyBefore + 1);

            assertThat(jersey.status()).as(path).isEqualTo(200);
            for (RawHttp.Response plain : List.of(miss, hit)) {
                assertThat(withoutDate(plain.headerLines())).as(path).isEqualTo(withoutDate(jersey.headerLines()));
                assertThat(Arrays.equals(plain.body(), jersey.body())).as(path + ": the same bytes").isTrue();
            }
            if (Arrays.asList(headers).contains("Accept-Encoding: gzip")) {
                assertThat(hit.header("Content-Encoding")).as(path).isEqualTo("gzip");
            }
        }
    }

    @Test
    void answersCountInTheEndpointMetrics() {
        openHttp.send(get("/reviews/meta?product_id=5"));
        long timed = counter(open, "/timers/" + API + "getReviewMeta/count");
        long total = counter(open, "/timers/" + API + "getReviewMeta.total/count");
        long ok = counter(open, "/meters/" + API + "getReviewMeta.2xx-responses/count");
        long hits = cachedReads(open);
        long jersey = jerseyRequests(open, "getReviewMeta");
        for (int i = 0; i < 3; i++) {
            assertThat(openHttp.send(get("/reviews/meta?product_id=5")).status()).isEqualTo(200);
        }
        assertThat(jerseyRequests(open, "getReviewMeta")).isEqualTo(jersey);
        assertThat(counter(open, "/timers/" + API + "getReviewMeta/count")).isEqualTo(timed + 3);
        assertThat(counter(open, "/timers/" + API + "getReviewMeta.total/count")).isEqualTo(total + 3);
        assertThat(counter(open, "/meters/" + API + "getReviewMeta.2xx-responses/count")).isEqualTo(ok + 3);
        assertThat(cachedReads(open)).isEqualTo(hits + 3);
    }

    /** Hits, and the reads a lapsed lease sent to the database (a busy machine delays the change feed's poll). */
    private static long cachedReads(RunningApp node) {
        return counter(node, "/meters/cache.meta.hits/count") + counter(node, "/meters/cache.meta.untrusted/count");
    }

    @Test
    void aCachedProductNeverHidesAnErrorOrANegotiation() {
        openHttp.send(get("/reviews?product_id=7"));
        openHttp.send(get("/reviews/meta?product_id=7"));
        record Expect(String path, int status, String... headers) {
        }
        List<Expect> notPlain = List.of(
                new Expect("/reviews?product_id=7&product_id=7", 400),
                new Expect("/reviews?product_id=+7", 422),
                new Expect("/reviews?product_id=%37", 200),
                new Expect("/reviews?product_id=7&count=1000001", 400),
                new Expect("/reviews?product_id=7&page=x", 400),
                new Expect("/reviews?product_id=7&count=", 200),
                new Expect("/reviews?product_id=0", 422),
                new Expect("/reviews/?product_id=7", 200),
                new Expect("/reviews?product_id=7", 406, "Accept: text/html"),
                new Expect("/reviews?product_id=7", 200, "Accept: application/json;q=0.9"),
                new Expect("/reviews/meta?product_id=7&count=x", 200),
                new Expect("/reviews/meta?product_id=7&product_id=8", 400));
        for (Expect e : notPlain) {
            String operation = e.path().startsWith("/reviews/meta") ? "getReviewMeta" : "listReviews";
            long jersey = jerseyRequests(open, operation);
            RawHttp.Response answer = openHttp.send(get(e.path(), e.headers()));
            assertThat(answer.status()).as(e.path() + " " + List.of(e.headers())).isEqualTo(e.status());
            if (e.status() != 406) { // refused by content negotiation before the resource method's filters
                assertThat(jerseyRequests(open, operation)).as(e.path() + ": judged by Jersey").isEqualTo(jersey + 1);
            }
        }
        long jersey = jerseyRequests(open, "listReviews");
        RawHttp.Response head = openHttp.send(("HEAD /reviews?product_id=7 HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(head.status()).isEqualTo(200);
        assertThat(jerseyRequests(open, "listReviews")).as("HEAD is Jersey's").isEqualTo(jersey + 1);
    }

    @Test
    void aKeyIsJudgedOnceAndARefusalIsJerseysAnswer() {
        String key = "Authorization: Bearer " + readerKey;
        long requests = counter(keyed, "/meters/auth.keys.hit-reader.requests/count");
        long jersey = jerseyRequests(keyed, "listReviews");
        assertThat(keyedHttp.send(get("/reviews?product_id=12", key)).status()).isEqualTo(200); // miss
        assertThat(keyedHttp.send(get("/reviews?product_id=12", key)).status()).isEqualTo(200); // hit
        assertThat(jerseyRequests(keyed, "listReviews")).as("keyed reads skip Jersey").isEqualTo(jersey);
        assertThat(keyedHttp.send(get("/reviews?product_id=12&_=1", key)).status()).isEqualTo(200); // Jersey's
        assertThat(jerseyRequests(keyed, "listReviews")).isEqualTo(jersey + 1);
        assertThat(counter(keyed, "/meters/auth.keys.hit-reader.requests/count"))
                .as("each request counted once, whichever path answers").isEqualTo(requests + 3);

        RawHttp.Response anonymous = keyedHttp.send(get("/reviews?product_id=12"));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        RawHttp.Response unknown = keyedHttp.send(get("/reviews/meta?product_id=12", "Authorization: Bearer nope"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.text()).contains("\"field\":\"Authorization\"");
    }

    @Test
    void itRunsAfterTheApplicationsOtherFilters() {
        FilterMapping[] mappings = open.environment().getApplicationContext().getServletHandler().getFilterMappings();
        List<String> names = Arrays.stream(mappings).map(FilterMapping::getFilterName).toList();
        for (String before : List.of("cors", "out-of-rotation", "request-body-limit", "content-type")) {
            assertThat(names).contains(before);
            assertThat(names.indexOf(before)).as("%s", names).isLessThan(names.indexOf("plain-reads"));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static byte[] get(String path, String... headers) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        return request.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static List<String> withoutDate(List<String> headerLines) {
        return headerLines.stream().filter(l -> !l.regionMatches(true, 0, "Date:", 0, 5)).toList();
    }

    /** Requests of the operation that went through Jersey's filter chain. */
    private static long jerseyRequests(RunningApp node, String operation) {
        return counter(node, "/timers/" + API + operation + ".request.filtering/count");
    }

    private static long counter(RunningApp node, String pointer) {
        try {
            HttpResponse<String> metrics = ADMIN.send(HttpRequest.newBuilder(URI.create(node.adminUri() + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(metrics.body()).at(pointer);
            return value.isMissingNode() ? 0 : value.asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
