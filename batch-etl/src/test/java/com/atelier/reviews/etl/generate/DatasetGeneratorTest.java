package com.atelier.reviews.etl.generate;

import com.atelier.reviews.etl.csv.CsvParser;
import com.atelier.reviews.etl.csv.CsvRecord;
import com.atelier.reviews.etl.load.SourceFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DatasetGeneratorTest {

    @TempDir
    static Path root;
    private static DatasetGenerator.Counts counts;

    @BeforeAll
    static void generate() throws Exception {
        counts = DatasetGenerator.generate(new DatasetGenerator.Spec(3_000, 42, 2), root.resolve("a"));
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        DatasetGenerator.generate(new DatasetGenerator.Spec(3_000, 42, 2), root.resolve("b"));
        DatasetGenerator.generate(new DatasetGenerator.Spec(3_000, 43, 2), root.resolve("c"));
        for (SourceFile f : SourceFile.values()) {
            byte[] a = Files.readAllBytes(root.resolve("a").resolve(f.fileName()));
            assertThat(Files.readAllBytes(root.resolve("b").resolve(f.fileName()))).as(f.fileName()).isEqualTo(a);
            assertThat(Files.readAllBytes(root.resolve("c").resolve(f.fileName()))).as(f.fileName()).isNotEqualTo(a);
        }
    }

    @Test
    void writesTheClientsHeadersAndNoLineBreakAfterTheLastRow() throws Exception {
        for (SourceFile f : SourceFile.values()) {
            String text = Files.readString(root.resolve("a").resolve(f.fileName()), StandardCharsets.US_ASCII);
            assertThat(text).startsWith(f.header() + "\n");
            assertThat(text).doesNotEndWith("\n");
        }
    }

    @Test
    void hasTheShapeOfTheClientsData() throws Exception {
        long products = 3_000;
        long reviews = counts.good().get(SourceFile.REVIEWS);
        assertThat((double) reviews / products).isBetween(5.4, 6.2); // 5.77 in the client's data
        assertThat((double) counts.good().get(SourceFile.REVIEWS_PHOTOS) / reviews).isBetween(0.42, 0.53); // 0.47
        assertThat((double) counts.good().get(SourceFile.CHARACTERISTICS) / products).isBetween(3.25, 3.45); // 3.35
        assertThat((double) counts.good().get(SourceFile.CHARACTERISTIC_REVIEWS) / reviews).isBetween(3.25, 3.45);
        for (SourceFile f : SourceFile.values()) {
            double dirtyShare = (double) counts.dirty().get(f) / counts.good().get(f);
            assertThat(dirtyShare).as(f.fileName()).isBetween(0.01, 0.03);
        }
    }

    @Test
    void skewsRatingsAndKeepsTheQuirks() throws Exception {
        Map<Integer, Integer> ratings = new HashMap<>();
        int multiLine = 0;
        int quotedNull = 0;
        int unquotedNull = 0;
        int doubledQuotes = 0;
        try (CsvParser p = new CsvParser(root.resolve("a").resolve("reviews.csv"), 0, 1)) {
            p.next();
            CsvRecord r;
            while ((r = p.next()) != null) {
                if (r.error() != null || r.fieldCount() != 12) {
                    continue;
                }
                try {
                    ratings.merge((int) r.parseLong(2), 1, Integer::sum);
                } catch (CsvRecord.BadValueException e) {
                    continue;
                }
                multiLine += r.nextLine() - r.line() > 1 ? 1 : 0;
                quotedNull += r.isQuoted(10) && r.text(10).equals("null") ? 1 : 0;
                unquotedNull += r.isUnquoted(10, "null") ? 1 : 0;
                doubledQuotes += r.text(5).contains("\"") ? 1 : 0;
            }
        }
        int total = ratings.values().stream().mapToInt(Integer::intValue).sum();
        assertThat((double) (ratings.get(4) + ratings.get(5)) / total).isGreaterThan(0.6);
        assertThat(ratings.get(5)).isGreaterThan(ratings.get(1) * 3);
        assertThat(multiLine).isPositive();
        assertThat(quotedNull).isPositive();
        assertThat(unquotedNull).isGreaterThan(total / 2);
        assertThat(doubledQuotes).isPositive();
    }

    @Test
    void givesEveryProductThreeToFiveCharacteristics() throws Exception {
        Map<Long, Integer> perProduct = new HashMap<>();
        boolean photoIdsOutOfOrder = false;
        try (CsvParser p = new CsvParser(root.resolve("a").resolve("characteristics.csv"), 0, 1)) {
            p.next();
            CsvRecord r;
            while ((r = p.next()) != null) {
                try {
                    if (r.error() == null && r.fieldCount() == 3 && r.isQuoted(2)) {
                        perProduct.merge(r.parseLong(1), 1, Integer::sum);
                    }
                } catch (CsvRecord.BadValueException ignored) {
                    // a dirty row
                }
            }
        }
        try (CsvParser p = new CsvParser(root.resolve("a").resolve("reviews_photos.csv"), 0, 1)) {
            p.next();
            long previous = 0;
            CsvRecord r;
            while ((r = p.next()) != null && !photoIdsOutOfOrder) {
                try {
                    long id = r.parseLong(0);
                    photoIdsOutOfOrder = id == previous - 1;
                    previous = id;
                } catch (CsvRecord.BadValueException ignored) {
                    // a dirty row
                }
            }
        }
        assertThat(perProduct).hasSize(3_000);
        assertThat(perProduct.values()).allSatisfy(n -> assertThat(n).isBetween(3, 6)); // 6: a duplicate-id dirty row
        assertThat(photoIdsOutOfOrder).isTrue();
    }
}
