package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.etl.load.SourceFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newer drop in the same directory (more products, and some rows changed) is a new load that upserts: new rows are
 * inserted, changed rows updated, the rest left alone, and the aggregates of the affected products are exact again.
 * This drop's load is also interrupted once, to show a restart in upsert mode is exact too.
 */
class SecondDropTest {

    @TempDir
    static Path dir;
    private static ScratchDatabase db;
    private static GeneratedData first;
    private static GeneratedData second;
    private static CsvLoad.Outcome interrupted;
    private static CsvLoad.Outcome outcome;
    private static int changedRating;
    private static int nowReported;
    private static int movedReview;
    private static int movedFrom;

    @BeforeAll
    static void loadTwoDrops() throws Exception {
        db = ScratchDatabase.create("etl_second_drop");
        // given a first drop, loaded
        first = GeneratedData.generate(dir, 300, 5, 2);
        CsvLoad.Outcome initial = CsvLoad.run(db.settings(), dir, options());
        assertThat(initial.status()).isEqualTo(CsvLoad.Status.LOADED);
        // three products with reviews, and a review of each to change
        var products = Sql.rows(db, "SELECT product_id FROM reviews WHERE NOT reported AND product_id > 1"
                + " GROUP BY 1 HAVING count(*) >= 2 ORDER BY 1 LIMIT 3");
        changedRating = Integer.parseInt(Sql.value(db, "SELECT min(id) FROM reviews WHERE NOT reported AND product_id = "
                + products.get(0)));
        nowReported = Integer.parseInt(Sql.value(db, "SELECT max(id) FROM reviews WHERE NOT reported AND product_id = "
                + products.get(1)));
        movedFrom = Integer.parseInt(products.get(2));
        movedReview = Integer.parseInt(Sql.value(db, "SELECT min(id) FROM reviews WHERE product_id = " + movedFrom));
        String rating = Sql.value(db, "SELECT rating FROM reviews WHERE id = " + changedRating);

        // and a second drop in its place: 30 more products (the same generator and seed write the same first 300),
        // one review with another rating, one now reported, one moved to product 1, and a changed row in each other file
        second = GeneratedData.generate(dir, 330, 5, 2);
        new CsvRewriter().set(changedRating, 2, Integer.toString(Integer.parseInt(rating) % 5 + 1))
                .set(nowReported, 7, "true").set(movedReview, 1, "1")
                .rewrite(dir.resolve("reviews.csv"));
        new CsvRewriter().set(10, 3, "1").rewrite(dir.resolve("characteristic_reviews.csv"));
        new CsvRewriter().set(3, 2, "https://example.com/new.jpg").rewrite(dir.resolve("reviews_photos.csv"));
        new CsvRewriter().set(4, 2, "Fit2").rewrite(dir.resolve("characteristics.csv"));

        // when it is loaded, interrupted once in reviews.csv and run again
        interrupted = CsvLoad.run(db.settings(), dir, options().listener(SourceFile.REVIEWS, new RestartTest.FailOnChunk(3)));
        outcome = CsvLoad.run(db.settings(), dir, options());
    }

    private static LoadOptions options() {
        return LoadOptions.defaults().progressSeconds(0).chunkSize(250);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void upsertsNewAndChangedRowsAndLeavesTheRest() throws Exception {
        assertThat(interrupted.status()).isEqualTo(CsvLoad.Status.FAILED);
        assertThat(outcome.status()).isEqualTo(CsvLoad.Status.LOADED);
        assertThat(outcome.jobInstanceId()).isEqualTo(2); // a new drop is a new load
        assertCounts(SourceFile.REVIEWS, 3);
        assertCounts(SourceFile.CHARACTERISTIC_REVIEWS, 1);
        assertCounts(SourceFile.REVIEWS_PHOTOS, 1);
        assertCounts(SourceFile.CHARACTERISTICS, 1);
        for (SourceFile f : SourceFile.values()) {
            assertThat(Sql.count(db, "SELECT count(*) FROM " + f.table())).isEqualTo(second.good(f));
            assertThat(Sql.count(db, "SELECT count(*) FROM etl_rejects WHERE job_instance_id = 2 AND file = '"
                    + f.fileName() + "'")).isEqualTo(second.dirty(f));
        }
        assertThat(Sql.rows(db, "SELECT file, line FROM etl_rejects WHERE job_instance_id = 2 GROUP BY 1, 2"
                + " HAVING count(*) > 1")).isEmpty();
    }

    private static void assertCounts(SourceFile f, long updated) {
        var counts = outcome.summary().file(f).counts();
        assertThat(counts.inserted()).as(f + " inserted").isEqualTo(second.good(f) - first.good(f));
        assertThat(counts.updated()).as(f + " updated").isEqualTo(updated);
        assertThat(counts.unchanged()).as(f + " unchanged").isEqualTo(first.good(f) - updated);
    }

    @Test
    void appliesTheChanges() throws Exception {
        assertThat(Sql.value(db, "SELECT reported FROM reviews WHERE id = " + nowReported)).isEqualTo("t");
        assertThat(Sql.value(db, "SELECT product_id FROM reviews WHERE id = " + movedReview)).isEqualTo("1");
        assertThat(Sql.value(db, "SELECT value FROM characteristic_reviews WHERE id = 10")).isEqualTo("1");
        assertThat(Sql.value(db, "SELECT url FROM reviews_photos WHERE id = 3")).isEqualTo("https://example.com/new.jpg");
        assertThat(Sql.value(db, "SELECT name FROM characteristics WHERE id = 4")).isEqualTo("Fit2");
        assertThat(Sql.value(db, "SELECT count(*) FROM reviews WHERE product_id > 300")).isNotEqualTo("0");
    }

    @Test
    void metaStaysExact() throws Exception {
        assertThat(Sql.aggregateDifferences(db)).isEmpty();
        assertThat(Sql.count(db, "SELECT count(*) FROM etl_changed_products")).isZero();
        assertThat(Sql.count(db, "SELECT count(*) FROM reviews WHERE product_id = " + movedFrom))
                .isEqualTo(Sql.count(db, "SELECT rating_1 + rating_2 + rating_3 + rating_4 + rating_5"
                        + " FROM product_review_stats WHERE product_id = " + movedFrom)
                        + Sql.count(db, "SELECT count(*) FROM reviews WHERE reported AND product_id = " + movedFrom));
    }

    @Test
    void reloadingTheSecondDropIsANoOp() throws Exception {
        CsvLoad.Outcome again = CsvLoad.run(db.settings(), dir, options());
        assertThat(again.status()).isEqualTo(CsvLoad.Status.ALREADY_LOADED);
    }
}
