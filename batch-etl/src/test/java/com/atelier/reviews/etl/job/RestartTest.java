package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.etl.load.RecordBlock;
import com.atelier.reviews.etl.load.SourceFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.ItemWriteListener;
import org.springframework.batch.item.Chunk;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A load that fails in the middle of a file (after a chunk was COPYed, before its commit) and is run again ends with
 * exactly the right rows and rejects: nothing twice, nothing missing.
 */
class RestartTest {

    @TempDir
    static Path dir;
    private static GeneratedData data;

    @BeforeAll
    static void generate() throws Exception {
        data = GeneratedData.generate(dir, 1_500, 7, 3);
    }

    /** Throws after the writer of the {@code n}th chunk, inside that chunk's transaction. */
    static final class FailOnChunk implements ItemWriteListener<RecordBlock> {
        private final int n;
        private int chunks;

        FailOnChunk(int n) {
            this.n = n;
        }

        @Override
        public void afterWrite(Chunk<? extends RecordBlock> items) {
            if (++chunks == n) {
                throw new IllegalStateException("injected failure in chunk " + n);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SourceFile.class)
    void aLoadThatFailsMidFileResumesAndEndsExact(SourceFile failing) throws Exception {
        try (ScratchDatabase db = ScratchDatabase.create("etl_restart_" + failing.table())) {
            // given a first load that fails in the 4th chunk of one file
            CsvLoad.Outcome failed = CsvLoad.run(db.settings(), dir, LoadOptions.defaults().progressSeconds(0)
                    .chunkSize(200).listener(failing, new FailOnChunk(4)));
            assertThat(failed.status()).isEqualTo(CsvLoad.Status.FAILED);
            long committed = Sql.count(db, "SELECT count(*) FROM " + failing.table());
            long rejected = Sql.count(db, "SELECT count(*) FROM etl_rejects WHERE file = '" + failing.fileName() + "'");
            assertThat(committed + rejected).as("3 chunks of 200 committed").isEqualTo(600);
            assertThat(Sql.count(db, "SELECT count(*) FROM etl_saved_constraints")).as("still a bulk load").isPositive();

            // when the same command runs again
            CsvLoad.Outcome resumed = CsvLoad.run(db.settings(), dir, LoadOptions.defaults().progressSeconds(0).chunkSize(200));

            // then every good row is there once and every bad row is rejected once
            assertThat(resumed.status()).isEqualTo(CsvLoad.Status.LOADED);
            assertExact(db, data, resumed);
            // and the aggregates come from the validators' counts when this run validated both counted files (the
            // committed part of the failed one replayed), else from the tables
            boolean allCountedHere = failing == SourceFile.REVIEWS; // characteristic values load after reviews
            assertThat(resumed.summary().format()).contains(allCountedHere ? "in-memory counts" : "rebuilt from scratch");
        }
    }

    static void assertExact(ScratchDatabase db, GeneratedData data, CsvLoad.Outcome outcome) throws Exception {
        for (SourceFile f : SourceFile.values()) {
            assertThat(Sql.count(db, "SELECT count(*) FROM " + f.table())).as(f.table()).isEqualTo(data.good(f));
            assertThat(Sql.count(db, "SELECT count(*) FROM etl_rejects WHERE file = '" + f.fileName() + "'"))
                    .as(f.fileName() + " rejects").isEqualTo(data.dirty(f));
            LoadSummary.FileResult result = outcome.summary().file(f);
            assertThat(result.read()).as(f.fileName() + " read").isEqualTo(data.good(f) + data.dirty(f));
            assertThat(result.counts().written()).as(f.fileName() + " written").isEqualTo(data.good(f));
            assertThat(result.counts().rejected()).as(f.fileName() + " rejected").isEqualTo(data.dirty(f));
        }
        assertThat(Sql.rows(db, "SELECT file, line FROM etl_rejects GROUP BY 1, 2 HAVING count(*) > 1")).isEmpty();
        assertThat(Sql.count(db, "SELECT count(*) FROM etl_saved_constraints")).isZero();
        assertThat(Sql.count(db, "SELECT count(*) FROM pg_indexes WHERE tablename = 'reviews'")).isEqualTo(2);
        assertThat(Sql.aggregateDifferences(db)).isEmpty();
    }

    @AfterAll
    static void nothing() {
    }
}
