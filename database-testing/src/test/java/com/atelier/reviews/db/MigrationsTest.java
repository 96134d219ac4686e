package com.atelier.reviews.db;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationsTest {

    private static ScratchDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create("migrations");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void migratingTwiceIsANoOp() {
        assertThat(Migrations.migrate(db.settings()).migrationsExecuted).isZero();
    }

    @Test
    void constraintsRejectImpossibleRows() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO reviews (product_id, rating, created_at, body, recommend,"
                    + " reviewer_name, reviewer_email) VALUES (1, 6, now(), 'b', true, 'n', 'e')"))
                    .hasMessageContaining("reviews_rating_check");
            assertThatThrownBy(() -> s.execute("INSERT INTO reviews_photos (review_id, url) VALUES (424242, 'x')"))
                    .hasMessageContaining("foreign key");
        }
    }

    @Test
    void rebuildCountsOnlyReviewsThatAreNotReported() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO reviews (id, product_id, rating, created_at, body, recommend, reported, reviewer_name,"
                    + " reviewer_email) VALUES (901, 77, 5, now(), 'b', true, false, 'n', 'e'),"
                    + " (902, 77, 2, now(), 'b', false, false, 'n', 'e'), (903, 77, 5, now(), 'b', true, true, 'n', 'e')");
            s.execute("INSERT INTO characteristics (id, product_id, name) VALUES (501, 77, 'Fit'), (502, 77, 'Size')");
            s.execute("INSERT INTO characteristic_reviews (characteristic_id, review_id, value)"
                    + " VALUES (501, 901, 4), (501, 902, 3), (501, 903, 1)");
            s.execute("SELECT rebuild_review_stats()");
            ResultSet p = s.executeQuery("SELECT rating_2, rating_5, recommended_true, recommended_false"
                    + " FROM product_review_stats WHERE product_id = 77");
            assertThat(p.next()).isTrue();
            assertThat(new int[]{p.getInt(1), p.getInt(2), p.getInt(3), p.getInt(4)}).containsExactly(1, 1, 1, 1);
            ResultSet ch = s.executeQuery("SELECT characteristic_id, value_sum, value_count FROM characteristic_stats"
                    + " WHERE characteristic_id IN (501, 502) ORDER BY 1");
            assertThat(ch.next()).isTrue();
            assertThat(new long[]{ch.getLong(1), ch.getLong(2), ch.getLong(3)}).containsExactly(501, 7, 2);
            assertThat(ch.next()).isTrue();
            assertThat(new long[]{ch.getLong(1), ch.getLong(2), ch.getLong(3)}).containsExactly(502, 0, 0);
        }
    }

    @Test
    void refreshRecomputesTheGivenRowsFromTheOneDefinition() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO reviews (id, product_id, rating, created_at, body, recommend, reported, reviewer_name,"
                    + " reviewer_email) VALUES (911, 88, 4, now(), 'b', true, false, 'n', 'e'),"
                    + " (912, 88, 4, now(), 'b', false, true, 'n', 'e')");
            s.execute("INSERT INTO characteristics (id, product_id, name) VALUES (601, 88, 'Fit')");
            s.execute("INSERT INTO characteristic_reviews (characteristic_id, review_id, value)"
                    + " VALUES (601, 911, 5), (601, 912, 1)");
            s.execute("SELECT refresh_review_stats(ARRAY[88], ARRAY[601])");
            ResultSet p = s.executeQuery("SELECT rating_4, recommended_true, recommended_false"
                    + " FROM product_review_stats WHERE product_id = 88");
            assertThat(p.next()).isTrue();
            assertThat(new int[]{p.getInt(1), p.getInt(2), p.getInt(3)}).containsExactly(1, 1, 0);
            ResultSet ch = s.executeQuery("SELECT value_sum, value_count FROM characteristic_stats"
                    + " WHERE characteristic_id = 601");
            assertThat(ch.next()).isTrue();
            assertThat(new long[]{ch.getLong(1), ch.getLong(2)}).containsExactly(5, 1);
            // V6 dropped the per-chunk partial sums of V3 (the ETL counts in memory).
            ResultSet parts = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'etl\\_stats\\_%\\_parts'");
            assertThat(parts.next()).isTrue();
            assertThat(parts.getInt(1)).isZero();
        }
        assertThat(AggregateCheck.differences(db)).isEmpty();
    }
}
