package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.etl.load.SourceFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hand-written dirty files: every good row lands, every bad one is rejected with its line and reason. */
class DirtyFileTest {

    private static final String DATE = "1596080481467";

    @TempDir
    static Path dir;
    private static ScratchDatabase db;
    private static CsvLoad.Outcome outcome;

    @BeforeAll
    static void load() throws Exception {
        write("characteristics.csv", """
                id,product_id,name
                1,1,"Fit"
                2,1,"Quality"
                3,x1,"Size"
                2,1,"Comfort"
                4,1
                5,1,"Width"x
                6,2,null
                7,3,"Quality\"""");
        ByteArrayOutputStream reviews = new ByteArrayOutputStream();
        reviews.writeBytes(("""
                id,product_id,rating,date,summary,body,recommend,reported,reviewer_name,reviewer_email,response,helpfulness
                1,1,5,%1$s,"Great","Line one
                line two, with ""quotes""\",true,false,"ann","a@x.com",null,3
                2,1,9,%1$s,"Bad","rating",true,false,"bo","b@x.com",null,0
                3,2,4,%1$s,"","Empty summary",false,false,"cy","c@x.com","null",1
                4,2,4,2020-07-30,"S","B",true,false,"dee","d@x.com",null,1
                5,2,4,%1$s,"S","B",maybe,false,"dee","d@x.com",null,1
                6,2,4,%1$s,"S","B",true,false,"ed","e@x.com",null
                7,2,4,%1$s,"S","B "broken" quote",true,false,"fi","f@x.com",null,1
                1,3,4,%1$s,"S","Same id again",true,false,"gi","g@x.com",null,1
                8,3,3,%1$s,"S","Reported",true,true,"gi","g@x.com","Thanks, ""really""\",2
                9,3,2,%1$s,"S",null,true,false,"hu","h@x.com",null,1
                10,3,2,%1$s,"S","B",true,false,"hu","h@x.com",null,-1
                11,3,5,%1$s,"S","bad byte:\s""").formatted(DATE).getBytes(StandardCharsets.UTF_8));
        reviews.write(0xFF);
        reviews.writeBytes(("""
                ",true,false,"io","i@x.com",null,1
                12,4,5,%1$s,"S","CRLF line",true,false,"jo","j@x.com",null,1\r
                13,4,1,%1$s,"S","multi
                line
                body",false,false,"ku","k@x.com",null,0
                14,0,1,%1$s,"S","B",true,false,"lu","l@x.com",null,0
                15,4,5,%1$s,"Last","No newline after me",true,false,"mo","m@x.com",null,7""").formatted(DATE)
                .getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("reviews.csv"), reviews.toByteArray());
        write("reviews_photos.csv", """
                id,review_id,url
                1,1,"https://x/1.jpg"
                2,2,"https://x/2.jpg"
                3,99,"https://x/3.jpg"
                4,x,"https://x/4.jpg"
                5,1
                1,3,"https://x/dup.jpg"
                6,3,https://x/"6".jpg
                7,8,"https://x/7.jpg\"""");
        write("characteristic_reviews.csv", """
                id,characteristic_id,review_id,value
                1,1,1,5
                2,3,1,4
                3,1,2,4
                4,1,1,0
                5,1,1,6
                6,1,1,x
                1,2,3,3
                7,7,3,2
                8,1,8,4
                9,2,13
                10,2,13,1""");
        db = ScratchDatabase.create("etl_dirty");
        // a chunk of 4 rows: rejects and good rows share chunks, and records span chunk boundaries
        outcome = CsvLoad.run(db.settings(), dir, LoadOptions.defaults().progressSeconds(0).chunkSize(4));
    }

    private static void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void completesDespiteTheBadRows() {
        assertThat(outcome.status()).isEqualTo(CsvLoad.Status.LOADED);
    }

    @Test
    void rejectsEveryBadRowWithItsLineAndReason() throws Exception {
        // files load two at a time, so the rejects of two files interleave: ordered by file (load order) and line
        assertThat(Sql.rows(db, "SELECT file || ':' || line || ' ' || reason FROM etl_rejects ORDER BY array_position("
                + "ARRAY['characteristics.csv', 'reviews.csv', 'reviews_photos.csv', 'characteristic_reviews.csv'], file),"
                + " line"))
                .containsExactly(
                        "characteristics.csv:4 bad number in product_id: 'x1'",
                        "characteristics.csv:5 duplicate id within the file: 2",
                        "characteristics.csv:6 wrong column count: expected 3, found 2",
                        "characteristics.csv:7 broken quoting: text after a closing quote",
                        "characteristics.csv:8 missing name: null",
                        "reviews.csv:4 rating outside 1-5: 9",
                        "reviews.csv:6 bad number in date: '2020-07-30'",
                        "reviews.csv:7 bad boolean in recommend: 'maybe'",
                        "reviews.csv:8 wrong column count: expected 12, found 11",
                        "reviews.csv:9 broken quoting: text after a closing quote",
                        "reviews.csv:10 duplicate id within the file: 1",
                        "reviews.csv:12 missing body: null",
                        "reviews.csv:13 helpfulness must not be negative: -1",
                        "reviews.csv:14 bad text in body: invalid UTF-8 byte 0xff",
                        "reviews.csv:19 product_id must be positive: 0",
                        "reviews_photos.csv:3 unknown review id: 2",
                        "reviews_photos.csv:4 unknown review id: 99",
                        "reviews_photos.csv:5 bad number in review_id: 'x'",
                        "reviews_photos.csv:6 wrong column count: expected 3, found 2",
                        "reviews_photos.csv:7 duplicate id within the file: 1",
                        "reviews_photos.csv:8 broken quoting: a quote inside an unquoted field",
                        "characteristic_reviews.csv:3 unknown characteristic id: 3",
                        "characteristic_reviews.csv:4 unknown review id: 2",
                        "characteristic_reviews.csv:5 value outside 1-5: 0",
                        "characteristic_reviews.csv:6 value outside 1-5: 6",
                        "characteristic_reviews.csv:7 bad number in value: 'x'",
                        "characteristic_reviews.csv:8 duplicate id within the file: 1",
                        "characteristic_reviews.csv:11 wrong column count: expected 4, found 3");
        assertThat(outcome.summary().totalRejects()).isEqualTo(28);
        assertThat(outcome.summary().file(SourceFile.REVIEWS).counts().rejected()).isEqualTo(10);
    }

    @Test
    void keepsTheRawTextOfEachReject() throws Exception {
        assertThat(Sql.value(db, "SELECT raw FROM etl_rejects WHERE file = 'reviews.csv' AND line = 9"))
                .isEqualTo("7,2,4," + DATE + ",\"S\",\"B \"broken\" quote\",true,false,\"fi\",\"f@x.com\",null,1");
        assertThat(Sql.value(db, "SELECT raw FROM etl_rejects WHERE file = 'reviews_photos.csv' AND line = 6"))
                .isEqualTo("5,1");
        assertThat(Sql.value(db, "SELECT raw FROM etl_rejects WHERE file = 'reviews.csv' AND line = 14"))
                .startsWith("11,3,5,").contains("bad byte: \uFFFD");
    }

    @Test
    void landsEveryGoodRow() throws Exception {
        assertThat(Sql.rows(db, "SELECT id FROM characteristics ORDER BY id")).containsExactly("1", "2", "7");
        assertThat(Sql.rows(db, "SELECT id FROM reviews ORDER BY id")).containsExactly("1", "3", "8", "12", "13", "15");
        assertThat(Sql.rows(db, "SELECT id FROM reviews_photos ORDER BY id")).containsExactly("1", "7");
        assertThat(Sql.rows(db, "SELECT id FROM characteristic_reviews ORDER BY id"))
                .containsExactly("1", "7", "8", "10");
    }

    @Test
    void readsQuotedTextLineBreaksAndTheNullWord() throws Exception {
        assertThat(Sql.value(db, "SELECT body FROM reviews WHERE id = 1")).isEqualTo("Line one\nline two, with \"quotes\"");
        assertThat(Sql.value(db, "SELECT body FROM reviews WHERE id = 13")).isEqualTo("multi\nline\nbody");
        assertThat(Sql.value(db, "SELECT summary || '|' || response FROM reviews WHERE id = 3")).isEqualTo("|null");
        assertThat(Sql.value(db, "SELECT response FROM reviews WHERE id = 8")).isEqualTo("Thanks, \"really\"");
        assertThat(Sql.value(db, "SELECT reviewer_email || '|' || helpfulness FROM reviews WHERE id = 12"))
                .isEqualTo("j@x.com|1");
        assertThat(Sql.value(db, "SELECT body || '|' || helpfulness FROM reviews WHERE id = 15"))
                .isEqualTo("No newline after me|7");
    }

    @Test
    void aggregatesCountOnlyLoadedRowsThatAreNotReported() throws Exception {
        assertThat(Sql.aggregateDifferences(db)).isEmpty();
        assertThat(Sql.value(db, "SELECT value_sum || '/' || value_count FROM characteristic_stats"
                + " WHERE characteristic_id = 1")).isEqualTo("5/1"); // review 8 is reported
        assertThat(Sql.value(db, "SELECT value_sum || '/' || value_count FROM characteristic_stats"
                + " WHERE characteristic_id = 2")).isEqualTo("1/1");
        assertThat(Sql.rows(db, "SELECT product_id FROM product_review_stats ORDER BY 1")).containsExactly("1", "2", "4");
    }

    @Test
    void rejectsAreStoredOncePerLine() throws Exception {
        List<String> duplicates = Sql.rows(db, "SELECT file, line FROM etl_rejects GROUP BY 1, 2 HAVING count(*) > 1");
        assertThat(duplicates).isEmpty();
    }
}
