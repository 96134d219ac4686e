package com.atelier.reviews.etl.load;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of an incremental load: each chunk is COPYed into a temporary staging table, then merged into the target
 * with {@code INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE row IS DISTINCT FROM excluded}, so rows that did not
 * change are not written. The same statement records which products and characteristics changed (old and new
 * values), so only their aggregates are recomputed at the end.
 */
final class UpsertSql {

    private UpsertSql() {
    }

    static String stageTable(SourceFile source) {
        return "etl_stage_" + source.table();
    }

    /** A session's staging table, emptied by every commit (and by a rollback). */
    static String createStage(SourceFile source) {
        return "CREATE TEMP TABLE IF NOT EXISTS " + stageTable(source) + " (LIKE " + source.table()
                + ") ON COMMIT DELETE ROWS";
    }

    /** Merges the staging table; answers one row: (inserted, updated). */
    static String merge(SourceFile source) {
        String table = source.table();
        String stage = stageTable(source);
        List<String> values = source.columns().stream().filter(c -> !c.equals("id")).toList();
        String columns = String.join(", ", source.columns());
        String changed = row("t", values) + " IS DISTINCT FROM " + row("s", values);
        String old = "old AS (SELECT t.* FROM " + stage + " s JOIN " + table + " t ON t.id = s.id WHERE " + changed + ")";
        String up = "up AS (INSERT INTO " + table + " AS t (" + columns + ") SELECT " + columns + " FROM " + stage
                + " ON CONFLICT (id) DO UPDATE SET "
                + values.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "))
                + " WHERE " + row("t", values) + " IS DISTINCT FROM " + row("excluded", values)
                + " RETURNING t.*, (t.xmax = 0) AS inserted)";
        String tracking = switch (source) {
            case REVIEWS -> """
                    , changed_products AS (
                        INSERT INTO etl_changed_products SELECT product_id FROM old UNION SELECT product_id FROM up)
                    , changed_characteristics AS (
                        INSERT INTO etl_changed_characteristics
                        SELECT DISTINCT cr.characteristic_id FROM characteristic_reviews cr JOIN old ON cr.review_id = old.id)
                    """;
            case CHARACTERISTICS -> """
                    , changed_characteristics AS (INSERT INTO etl_changed_characteristics SELECT id FROM up)
                    """;
            case CHARACTERISTIC_REVIEWS -> """
                    , changed_characteristics AS (
                        INSERT INTO etl_changed_characteristics
                        SELECT characteristic_id FROM old UNION SELECT characteristic_id FROM up)
                    """;
            case REVIEWS_PHOTOS -> "";
        };
        return "WITH " + old + ", " + up + tracking
                + " SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up";
    }

    private static String row(String alias, List<String> columns) {
        return "ROW(" + columns.stream().map(c -> alias + "." + c).collect(Collectors.joining(", ")) + ")";
    }
}
