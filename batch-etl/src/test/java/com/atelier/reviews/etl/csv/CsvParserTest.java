package com.atelier.reviews.etl.csv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvParserTest {

    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        Path f = dir.resolve("f.csv");
        Files.writeString(f, text);
        return f;
    }

    private static List<CsvRecord> all(Path f, long offset, long line) throws Exception {
        List<CsvRecord> records = new ArrayList<>();
        try (CsvParser p = new CsvParser(f, offset, line)) {
            CsvRecord r;
            while ((r = p.next()) != null) {
                records.add(r);
            }
        }
        return records;
    }

    private static String fields(CsvRecord r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.fieldCount(); i++) {
            out.add((r.isQuoted(i) ? "q:" : "") + r.text(i));
        }
        return r.line() + " " + String.join("|", out);
    }

    @Test
    void splitsQuotedFieldsWithCommasQuotesAndLineBreaks() throws Exception {
        List<CsvRecord> records = all(file("h1,h2,h3\n1,\"a, b\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",null\n3,,\"\""), 0, 1);
        assertThat(records).extracting(CsvParserTest::fields).containsExactly(
                "1 h1|h2|h3", "2 1|q:a, b|q:say \"hi\"", "3 2|q:two\nlines|null", "5 3||q:");
        assertThat(records.get(2).isUnquoted(2, "null")).isTrue();
        assertThat(records.get(1).isUnquoted(1, "null")).isFalse();
    }

    @Test
    void handlesCrlfBlankLinesAndNoFinalLineBreak() throws Exception {
        List<CsvRecord> records = all(file("a,b\r\n\r\n1,\"x\"\r\n\n2,y"), 0, 1);
        assertThat(records).extracting(CsvParserTest::fields).containsExactly("1 a|b", "3 1|q:x", "5 2|y");
        assertThat(new String(records.get(1).rawBytes(), StandardCharsets.UTF_8)).isEqualTo("1,\"x\"");
    }

    @Test
    void resumesFromTheOffsetAndLineAfterAnyRecord() throws Exception {
        Path f = file("h\n1,\"multi\nline\"\n2,b\n\n3,\"c\"\"\"\n4,\"d\n\ne\"\n5,e");
        List<CsvRecord> records = all(f, 0, 1);
        for (int k = 0; k < records.size(); k++) {
            List<CsvRecord> rest = all(f, records.get(k).endOffset(), records.get(k).nextLine());
            assertThat(rest).extracting(CsvParserTest::fields)
                    .containsExactlyElementsOf(records.subList(k + 1, records.size()).stream().map(CsvParserTest::fields).toList());
        }
        assertThat(records).extracting(CsvRecord::line).containsExactly(1L, 2L, 4L, 6L, 7L, 10L);
    }

    @Test
    void rejectsBrokenQuotingAndGoesOnAtTheNextLine() throws Exception {
        List<CsvRecord> records = all(file("h\n1,\"a\"b,c\n2,x\"y,z\n3,ok\n4,\"never closed\n5,fine"), 0, 1);
        assertThat(records).extracting(r -> r.line() + " " + r.error()).containsExactly(
                "1 null",
                "2 broken quoting: text after a closing quote",
                "3 broken quoting: a quote inside an unquoted field",
                "4 null",
                "5 broken quoting: unterminated quoted field",
                "6 null");
        assertThat(new String(records.get(1).rawBytes(), StandardCharsets.UTF_8)).isEqualTo("1,\"a\"b,c");
        assertThat(new String(records.get(4).rawBytes(), StandardCharsets.UTF_8)).isEqualTo("4,\"never closed");
        assertThat(fields(records.get(5))).isEqualTo("6 5|fine");
    }

    @Test
    void parsesNumbersAndBooleansStrictly() throws Exception {
        CsvRecord r = all(file("12,-3,x1,,true,FALSE,yes,99999999999999999999"), 0, 1).get(0);
        assertThat(r.parseLong(0)).isEqualTo(12);
        assertThat(r.parseLong(1)).isEqualTo(-3);
        assertThat(r.parseBoolean(4)).isTrue();
        assertThat(r.parseBoolean(5)).isFalse();
        for (int bad : new int[] {2, 3, 7}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.parseLong(bad))
                    .isInstanceOf(CsvRecord.BadValueException.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.parseBoolean(6))
                .isInstanceOf(CsvRecord.BadValueException.class);
    }

    @Test
    void fieldsThatSpanBufferRefillsKeepTheirTextAndLineCounts() throws Exception {
        // quoted fields with line breaks and quotes, and long unquoted fields, across the 1 MiB buffer's refills
        String quoted = "x".repeat(600_000) + "\n\"\"" + "y".repeat(400_000);
        String unquoted = "z".repeat(900_000);
        List<CsvRecord> records = all(file("a,b\n1,\"" + quoted.replace("\"\"", "\"\"") + "\"\n2," + unquoted
                + "\n3,\"" + quoted + "\"\n4,last"), 0, 1);

        assertThat(records).hasSize(5);
        assertThat(records.get(1).text(1)).isEqualTo(quoted.replace("\"\"", "\""));
        assertThat(records.get(2).text(1)).isEqualTo(unquoted);
        assertThat(records.get(3).text(1)).isEqualTo(quoted.replace("\"\"", "\""));
        assertThat(records.stream().map(CsvRecord::line).toList()).containsExactly(1L, 2L, 4L, 5L, 7L);
        assertThat(records.get(4).text(1)).isEqualTo("last");
    }
}
