package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.etl.EtlApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real thing: the ETL runs in its own JVM, is killed with SIGKILL in the middle of a file, and the same load run
 * again ends with exactly the right rows.
 */
class KillAndResumeTest {

    @TempDir
    Path dir;

    @Test
    void aLoadKilledMidFileResumesAndEndsExact() throws Exception {
        GeneratedData data = GeneratedData.generate(dir, 4_000, 11, 2);
        try (ScratchDatabase db = ScratchDatabase.create("etl_kill")) {
            // given a load in another process, killed -9 once a few chunks of characteristic_reviews are committed
            Process etl = startEtl(db, dir.resolve("out.txt"));
            boolean killedMidFile = false;
            while (etl.isAlive()) {
                if (committedChunks(db, "load-characteristic_reviews") >= 5) {
                    etl.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback on our side
                    killedMidFile = true;
                    break;
                }
                Thread.sleep(20);
            }
            etl.waitFor();
            assertThat(killedMidFile).as("the load was still running when killed").isTrue();
            assertThat(Sql.value(db, "SELECT status FROM batch_job_execution")).isEqualTo("STARTED");

            // when the same load runs again
            CsvLoad.Outcome resumed = CsvLoad.run(db.settings(), dir, LoadOptions.defaults().progressSeconds(0).chunkSize(100));

            // then it resumed that file (the files of the first round, completed, are not loaded again; photos, which
            // load beside characteristic values, may still have been running) and the end state is exact
            assertThat(resumed.status()).isEqualTo(CsvLoad.Status.LOADED);
            assertThat(Sql.rows(db, "SELECT step_name FROM batch_step_execution WHERE job_execution_id = 2 ORDER BY step_execution_id"))
                    .doesNotContain("prepare", "load-characteristics", "load-reviews")
                    .containsSubsequence("load-characteristic_reviews", "refresh-aggregates", "restore-constraints", "publish");
            // the counts of the files loaded by the killed process died with it: the aggregates come from the tables
            assertThat(resumed.summary().format()).contains("(rebuilt from scratch)");
            assertThat(Sql.value(db, "SELECT status || ' ' || exit_message FROM batch_job_execution WHERE job_execution_id = 1"))
                    .startsWith("FAILED").contains("stopped abruptly");
            RestartTest.assertExact(db, data, resumed);
        }
    }

    private static long committedChunks(ScratchDatabase db, String step) {
        try {
            String n = Sql.value(db, "SELECT max(commit_count) FROM batch_step_execution WHERE step_name = '" + step + "'");
            return n == null ? 0 : Long.parseLong(n);
        } catch (Exception e) {
            return 0; // the Spring Batch tables may not exist yet
        }
    }

    private static Process startEtl(ScratchDatabase db, Path output) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", classpath, EtlApplication.class.getName(), "etl", output.getParent().toString(),
                "--chunk-size", "100", "--progress-seconds", "0"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("DATABASE_URL", db.settings().jdbcUrl());
        pb.environment().put("DATABASE_USER", db.settings().user());
        pb.environment().put("DATABASE_PASSWORD", db.settings().password() == null ? "" : db.settings().password());
        return pb.start();
    }

}
