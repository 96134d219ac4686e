package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.etl.load.SourceFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's real rows (an excerpt: the first and last rows of each file, in ../shared/data/atelier-sample, copied
 * to the test resources) load to exactly the expected rows, and what the API reads from them is right.
 */
class SampleLoadTest {

    private static ScratchDatabase db;
    private static CsvLoad.Outcome outcome;

    @BeforeAll
    static void load() throws Exception {
        db = ScratchDatabase.create("etl_sample");
        // given the four sample files, when they are loaded into empty tables
        outcome = CsvLoad.run(db.settings(), sampleDir(), LoadOptions.defaults().progressSeconds(0));
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    static Path sampleDir() throws URISyntaxException {
        return Path.of(SampleLoadTest.class.getResource("/atelier-sample").toURI());
    }

    @Test
    void loadsEveryRowOfTheSample() throws Exception {
        assertThat(outcome.status()).isEqualTo(CsvLoad.Status.LOADED);
        assertThat(Sql.count(db, "SELECT count(*) FROM characteristics")).isEqualTo(40);
        assertThat(Sql.count(db, "SELECT count(*) FROM reviews")).isEqualTo(34);
        assertThat(Sql.count(db, "SELECT count(*) FROM characteristic_reviews")).isEqualTo(47);
        // The excerpt keeps only the first and last rows of each file, so 25 of its 42 photos belong to reviews
        // that are not in it: those are rejected, as the rule says.
        assertThat(Sql.count(db, "SELECT count(*) FROM reviews_photos")).isEqualTo(17);
        assertThat(outcome.summary().file(SourceFile.REVIEWS_PHOTOS).counts().rejected()).isEqualTo(25);
        assertThat(Sql.rows(db, "SELECT DISTINCT file, split_part(reason, ':', 1) FROM etl_rejects"))
                .containsExactly("reviews_photos.csv|unknown review id");
        assertThat(Sql.rows(db, "SELECT line, reason FROM etl_rejects ORDER BY line LIMIT 2"))
                .containsExactly("12|unknown review id: 17", "13|unknown review id: 18");
    }

    @Test
    void mapsTheColumnsOfReviews() throws Exception {
        assertThat(Sql.value(db, "SELECT response FROM reviews WHERE id = 3")).isEqualTo("Glad you're enjoying the product!");
        assertThat(Sql.value(db, "SELECT response IS NULL FROM reviews WHERE id = 1")).isEqualTo("t");
        assertThat(Sql.value(db, "SELECT (extract(epoch FROM created_at) * 1000)::bigint FROM reviews WHERE id = 1"))
                .isEqualTo("1596080481467");
        assertThat(Sql.value(db, "SELECT product_id || ' ' || rating || ' ' || recommend || ' ' || reported || ' '"
                + " || helpfulness || ' ' || reviewer_name || ' ' || reviewer_email FROM reviews WHERE id = 1"))
                .isEqualTo("1 5 true false 8 funtime first.last@gmail.com");
        assertThat(Sql.value(db, "SELECT summary FROM reviews WHERE id = 1")).isEqualTo("This product was great!");
        assertThat(Sql.value(db, "SELECT reported FROM reviews WHERE id = 14")).isEqualTo("t");
        assertThat(Sql.value(db, "SELECT product_id || ' ' || rating || ' ' || helpfulness FROM reviews WHERE id = 5774952"))
                .isEqualTo("1000011 2 13");
        assertThat(Sql.rows(db, "SELECT id FROM reviews_photos WHERE review_id = 5 ORDER BY id"))
                .containsExactly("1", "2", "3");
        assertThat(Sql.value(db, "SELECT url FROM reviews_photos WHERE id = 1")).isEqualTo(
                "https://images.unsplash.com/photo-1560570803-7474c0f9af99?ixlib=rb-1.2.1&ixid=eyJhcHBfaWQiOjEyMDd9&auto=format&fit=crop&w=975&q=80");
        assertThat(Sql.value(db, "SELECT product_id || ' ' || name FROM characteristics WHERE id = 3347679"))
                .isEqualTo("1000011 Quality");
    }

    @Test
    void precomputedMetaIsExact() throws Exception {
        assertThat(Sql.aggregateDifferences(db)).isEmpty();
        // GET /reviews/meta?product_id=2 reads these rows: ratings {2:1, 3:1, 4:2, 5:1}, recommended {false:2, true:3}
        assertThat(Sql.value(db, "SELECT concat_ws(' ', rating_1, rating_2, rating_3, rating_4, rating_5,"
                + " recommended_true, recommended_false) FROM product_review_stats WHERE product_id = 2"))
                .isEqualTo("0 1 1 2 1 3 2");
        // ... and characteristics {"Quality": {"id": 5, "value": "4.2000000000000000"}}
        assertThat(Sql.value(db, "SELECT c.name || ' ' || s.value_sum || '/' || s.value_count FROM characteristics c"
                + " JOIN characteristic_stats s ON s.characteristic_id = c.id WHERE c.product_id = 2"))
                .isEqualTo("Quality 21/5");
        // a reported review (id 14, product 8) is neither listed nor counted
        assertThat(Sql.count(db, "SELECT count(*) FROM product_review_stats WHERE product_id = 8"
                + " AND rating_1 + rating_2 + rating_3 + rating_4 + rating_5 > 0")).isZero();
    }

    @Test
    void leavesTheSchemaAsTheMigrationsDefineIt() throws Exception {
        assertThat(Sql.rows(db, "SELECT indexname FROM pg_indexes WHERE tablename IN ('reviews', 'reviews_photos',"
                + " 'characteristics', 'characteristic_reviews') ORDER BY 1")).containsExactly(
                "characteristic_reviews_pkey", "characteristic_reviews_review_id_idx", "characteristics_pkey",
                "characteristics_product_id_idx", "reviews_listed_by_product_idx", "reviews_photos_pkey",
                "reviews_photos_review_id_idx", "reviews_pkey");
        assertThat(Sql.rows(db, "SELECT conname FROM pg_constraint WHERE contype = 'f' AND convalidated"
                + " AND conrelid::regclass::text NOT ILIKE 'batch%' ORDER BY 1")).containsExactly(
                "characteristic_reviews_characteristic_id_fkey", "characteristic_reviews_review_id_fkey",
                "characteristic_stats_characteristic_id_fkey", "reviews_photos_review_id_fkey");
        assertThat(Sql.count(db, "SELECT count(*) FROM etl_saved_constraints")).isZero();
        // identity sequences moved past the loaded ids: the API's next review gets a fresh id
        assertThat(Sql.count(db, "SELECT nextval(pg_get_serial_sequence('reviews', 'id'))")).isEqualTo(5774953);
        assertThat(Sql.count(db, "SELECT nextval(pg_get_serial_sequence('characteristic_reviews', 'id'))"))
                .isEqualTo(19327576);
    }

    @Test
    void tellsTheApiNodesEverythingChanged() throws Exception {
        assertThat(Sql.count(db, "SELECT count(*) FROM cache_changes WHERE product_id IS NULL"))
                .as("an 'everything changed' entry in the cache invalidation log").isPositive();
        assertThat(Sql.count(db, "SELECT count(*) FROM cache_changes WHERE product_id IS NOT NULL")).isZero();
    }

    @Test
    void loadingTheSameFilesAgainIsANoOp() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvLoad.Outcome again = CsvLoad.run(db.settings(), sampleDir(),
                LoadOptions.defaults().progressSeconds(0).out(new PrintStream(out, true)));
        assertThat(again.status()).isEqualTo(CsvLoad.Status.ALREADY_LOADED);
        assertThat(out.toString()).contains("already loaded");
        assertThat(Sql.count(db, "SELECT count(*) FROM reviews")).isEqualTo(34);
        assertThat(Sql.count(db, "SELECT count(*) FROM etl_rejects")).isEqualTo(25);
    }
}
