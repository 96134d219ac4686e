package com.atelier.reviews.etl.job;

import com.atelier.reviews.etl.csv.CsvParser;
import com.atelier.reviews.etl.csv.CsvRecord;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Changes fields of some rows of a CSV file in place (the first row with each id), keeping every other byte. */
final class CsvRewriter {

    private final Map<String, Map<Integer, String>> changes = new HashMap<>();

    /** Field {@code field} of the row with this id becomes {@code value} (quoted if the original was). */
    CsvRewriter set(int id, int field, String value) {
        changes.computeIfAbsent(Integer.toString(id), k -> new HashMap<>()).put(field, value);
        return this;
    }

    void rewrite(Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Set<String> done = new HashSet<>();
        try (CsvParser parser = new CsvParser(file, 0, 1)) {
            CsvRecord record;
            boolean first = true;
            while ((record = parser.next()) != null) {
                if (!first) {
                    out.write('\n');
                }
                first = false;
                String id = record.error() == null && record.fieldCount() > 0 ? record.text(0) : null;
                Map<Integer, String> change = id == null ? null : changes.get(id);
                if (change == null || !done.add(id)) {
                    out.writeBytes(record.rawBytes());
                    continue;
                }
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < record.fieldCount(); i++) {
                    String value = change.getOrDefault(i, record.text(i));
                    line.append(i > 0 ? "," : "");
                    line.append(record.isQuoted(i) ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
                }
                out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!changes.keySet().equals(done)) {
            throw new IllegalStateException("rows not found in " + file + ": " + changes.keySet() + " vs " + done);
        }
        Files.write(file, out.toByteArray());
    }
}
