package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ScratchDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loader that may not switch foreign-key triggers off (not a superuser) drops the foreign keys too and re-adds
 * them at the end, which checks them: the same rows, keys and aggregates as the default path.
 */
class ForeignKeyRecheckTest {

    @Test
    void dropsAndRechecksTheForeignKeysWhenItCannotKeepThem() throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("etl_fk_recheck")) {
            CsvLoad.Outcome outcome = CsvLoad.run(db.settings(), SampleLoadTest.sampleDir(),
                    LoadOptions.defaults().progressSeconds(0).skipForeignKeyChecksIfAllowed(false));

            assertThat(outcome.status()).isEqualTo(CsvLoad.Status.LOADED);
            assertThat(Sql.count(db, "SELECT count(*) FROM reviews")).isEqualTo(34);
            assertThat(Sql.count(db, "SELECT count(*) FROM reviews_photos")).isEqualTo(17);
            assertThat(Sql.count(db, "SELECT count(*) FROM characteristic_reviews")).isEqualTo(47);
            assertThat(Sql.rows(db, "SELECT conname FROM pg_constraint WHERE contype = 'f' AND convalidated"
                    + " AND conrelid::regclass::text NOT ILIKE 'batch%' ORDER BY 1")).containsExactly(
                    "characteristic_reviews_characteristic_id_fkey", "characteristic_reviews_review_id_fkey",
                    "characteristic_stats_characteristic_id_fkey", "reviews_photos_review_id_fkey");
            assertThat(Sql.count(db, "SELECT count(*) FROM pg_indexes WHERE tablename IN ('reviews', 'reviews_photos',"
                    + " 'characteristics', 'characteristic_reviews')")).isEqualTo(8);
            assertThat(Sql.aggregateDifferences(db)).isEmpty();
        }
    }
}
