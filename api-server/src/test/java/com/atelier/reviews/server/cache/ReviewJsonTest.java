package com.atelier.reviews.server.cache;

import com.atelier.reviews.contract.model.ReviewList;
import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.RunningApp;
import com.atelier.reviews.server.core.LegacyJson;
import com.atelier.reviews.server.core.ReviewMetaFormatter;
import com.atelier.reviews.server.db.ProductTotals;
import com.atelier.reviews.server.db.ReviewReadDao;
import com.atelier.reviews.server.db.SortOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.ConfigOverride;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The encoded answers are byte for byte what Jackson with LegacyJson writes for the same ReviewList and ReviewMeta
 * (the answers before they were cached encoded), on the in-memory path (first read a miss, then hits, including the
 * whole first page) and on the SQL-paged path, for every order and many pages and counts.
 */
class ReviewJsonTest {

    /** Photos, null and non-null responses, JSON-escaped and non-ASCII text, reported reviews (never listed). */
    private static final String EXTRA_REVIEWS = """
            INSERT INTO reviews (product_id, rating, created_at, summary, body, recommend, reported, reviewer_name,
                                 reviewer_email, response, helpfulness)
            SELECT 900001, 1 + i % 5, timestamptz '2021-01-01T00:00:00Z' + i * interval '7 hours 13 minutes',
                   'summary ' || i || ' ünïcödé 😀 "quoted" \\ back/slash', E'line\\nbreak\\ttab \\u2028 \\u0001 </script> 中文 ' || i,
                   i % 3 = 0, i % 11 = 0, 'reviewer_' || i || '_ñ', 'r' || i || '@example.com',
                   CASE WHEN i % 4 = 0 THEN 'Thanks ' || i || ' — «merci»' END, (i * 7) % 5
              FROM generate_series(1, 37) AS i;
            INSERT INTO reviews_photos (review_id, url)
            SELECT id, 'https://img.example/' || id || '/' || n || '.jpg?x="1"&y=é'
              FROM reviews, generate_series(1, 3) AS n
             WHERE product_id = 900001 AND id % 2 = 0 AND id % 3 <> n % 3;
            """;

    private static final int[] PRODUCTS = {1, 2, 3, 4, 5, 6, 1000007, 1000008, 1000009, 1000010, 1000011, 900001,
            424242};
    private static final String[] SORTS = {"newest", "helpful", "relevant", null};
    /** page, count; 0 means the default of each (as front ends send it), and pages past the end answer no results. */
    private static final int[][] PAGES = {{1, 5}, {0, 0}, {1, 1}, {2, 3}, {3, 7}, {2, 5}, {1, 100}, {9, 4}, {50, 5}};

    private static RunningApp cached;
    private static RunningApp sqlPaged;
    private static Jdbi jdbi;
    private static final ObjectMapper JACKSON = Jackson.newObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        LegacyJson.configure(JACKSON);
        cached = RunningApp.withSampleData("review_json");
        ScratchDatabase db = cached.database();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(EXTRA_REVIEWS);
        }
        sqlPaged = RunningApp.start(db, ConfigOverride.config("cache.maxReviewsPerProduct", "2"));
        jdbi = Jdbi.create(db.settings().jdbcUrl(), db.settings().user(), db.settings().password())
                .installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    }

    @AfterAll
    static void stop() {
        sqlPaged.stop();
        cached.close();
    }

    @Test
    void everyPageIsWhatJacksonWrites() throws Exception {
        int compared = 0;
        for (int product : PRODUCTS) {
            for (String sort : SORTS) {
                for (int[] pc : PAGES) {
                    byte[] expected = jacksonPage(product, SortOrder.parse(sort), pc[0] == 0 ? 1 : pc[0],
                            pc[1] == 0 ? 5 : pc[1]);
                    String path = "/reviews?product_id=" + product + (sort == null ? "" : "&sort=" + sort)
                            + "&page=" + pc[0] + "&count=" + pc[1];
                    for (RunningApp node : List.of(cached, cached, sqlPaged)) { // a miss, then a hit
                        assertSameAnswer(node, path, expected);
                        compared++;
                    }
                }
            }
            assertSameAnswer(cached, "/reviews?product_id=" + product, jacksonPage(product, SortOrder.RELEVANT, 1, 5));
        }
        assertThat(compared).isEqualTo(PRODUCTS.length * SORTS.length * PAGES.length * 3);
    }

    @Test
    void theBigProductHasWhatThisTestIsAbout() throws Exception {
        String all = new String(get(cached, "/reviews?product_id=900001&count=100").body(), StandardCharsets.UTF_8);
        assertThat(all).contains("\"response\":null", "\"response\":\"Thanks", "\"photos\":[]", "\"url\":",
                "\\uD83D\\uDE00", // the mapper escapes characters beyond the BMP
                "\\n", "\\u0001", "\\\"quoted\\\"");
        int listed = jdbi.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM reviews WHERE product_id = 900001 AND NOT reported").mapTo(Integer.class).one());
        assertThat(listed).isLessThan(37);
        assertThat(all.split("\"review_id\"", -1)).hasSize(listed + 1);
    }

    /** Compression is the server's (and NGINX's) business, unchanged: a gzipped answer inflates to the same bytes. */
    @Test
    void aGzippedAnswerInflatesToTheSameBytes() throws Exception {
        String path = "/reviews?product_id=900001&count=100&sort=helpful";
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(cached.baseUri() + path))
                .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = answer.body();
        if (answer.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent()) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        assertThat(body).isEqualTo(jacksonPage(900001, SortOrder.HELPFUL, 1, 100));
        assertThat(answer.headers().firstValue("Content-Encoding")).as("the node compresses large answers itself")
                .hasValue("gzip");
    }

    @Test
    void metaIsWhatJacksonWrites() throws Exception {
        for (int product : PRODUCTS) {
            ProductTotals totals = jdbi.withHandle(h -> new ReviewReadDao(h).productTotals(product));
            byte[] expected = JACKSON.writeValueAsBytes(
                    ReviewMetaFormatter.format(product, totals.ratings(), totals.characteristics()));
            for (RunningApp node : List.of(cached, cached, sqlPaged)) {
                assertSameAnswer(node, "/reviews/meta?product_id=" + product, expected);
            }
        }
    }

    private static void assertSameAnswer(RunningApp node, String path, byte[] expected) throws Exception {
        HttpResponse<byte[]> answer = get(node, path);
        assertThat(answer.statusCode()).as(path).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as(path)
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(answer.body()).as(path).isEqualTo(expected);
        assertThat(answer.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
        assertThat(answer.headers().firstValue("Content-Length")).as(path).hasValue(Integer.toString(expected.length));
    }

    /** The answer as the resource wrote it before: a ReviewList of the rendered page, through Jackson. */
    private static byte[] jacksonPage(int product, SortOrder order, int page, int count) throws IOException {
        int offset = (page - 1) * count;
        List<com.atelier.reviews.contract.model.Review> results = new ArrayList<>();
        jdbi.withHandle(h -> new ReviewReadDao(h).page(product, order, count, offset))
                .forEach(r -> results.add(ProductReviews.render(r)));
        return JACKSON.writeValueAsBytes(new ReviewList().product(Integer.toString(product)).page(offset).count(count)
                .results(results));
    }

    private static HttpResponse<byte[]> get(RunningApp node, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.baseUri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
