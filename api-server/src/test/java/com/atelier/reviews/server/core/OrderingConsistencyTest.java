package com.atelier.reviews.server.core;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.RunningApp;
import io.dropwizard.testing.ConfigOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes on one database: one sorts products in memory (cached), one pages them in SQL (products larger than
 * its cache bound), one has caching off. Every page must be identical, byte for byte.
 */
class OrderingConsistencyTest {

    private static RunningApp inMemory;
    private static RunningApp sqlPaged;
    private static RunningApp uncached;

    @BeforeAll
    static void start() throws Exception {
        inMemory = RunningApp.withSampleData("ordering");
        ScratchDatabase db = inMemory.database();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // ties on helpfulness and on date, so the id tie-breaks are exercised too
            s.execute("UPDATE reviews SET helpfulness = 7 WHERE product_id = 1000011 AND id % 3 = 0");
            s.execute("UPDATE reviews SET created_at = '2021-02-03T04:05:06Z' WHERE product_id = 1000011 AND id % 4 = 0");
        }
        sqlPaged = RunningApp.start(db, ConfigOverride.config("cache.maxReviewsPerProduct", "1"));
        uncached = RunningApp.start(db, ConfigOverride.config("cache.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        uncached.stop();
        sqlPaged.stop();
        inMemory.close();
    }

    @ParameterizedTest(name = "product {0}, sort {1}, page {2} of {3}")
    @CsvSource({
            "1000011, newest, 1, 5", "1000011, newest, 2, 5", "1000011, newest, 3, 5", "1000011, newest, 1, 100",
            "1000011, helpful, 1, 4", "1000011, helpful, 2, 4", "1000011, helpful, 3, 4", "1000011, helpful, 1, 100",
            "1000011, relevant, 1, 3", "1000011, relevant, 2, 3", "1000011, relevant, 4, 3", "1000011, relevant, 1, 100",
            "2, newest, 1, 10", "2, helpful, 1, 10", "2, relevant, 1, 10", "2, relevant, 2, 2"})
    void everyPathAnswersTheSamePage(int product, String sort, int page, int count) {
        String expected = get(inMemory, product, sort, page, count);
        assertThat(expected).contains("\"review_id\"");
        assertThat(get(sqlPaged, product, sort, page, count)).isEqualTo(expected);
        assertThat(get(uncached, product, sort, page, count)).isEqualTo(expected);
    }

    private static String get(RunningApp app, int product, String sort, int page, int count) {
        return app.target("/reviews").queryParam("product_id", product).queryParam("sort", sort)
                .queryParam("page", page).queryParam("count", count).request().get(String.class);
    }
}
