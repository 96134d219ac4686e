package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.ScratchDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Small queries for assertions. */
final class Sql {

    private Sql() {
    }

    static long count(ScratchDatabase db, String sql) throws SQLException {
        return Long.parseLong(value(db, sql));
    }

    static String value(ScratchDatabase db, String sql) throws SQLException {
        List<String> rows = rows(db, sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Each row as its columns joined by "|" (NULL as "null"). */
    static List<String> rows(ScratchDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(b.toString());
            }
            return rows;
        }
    }

    static void execute(ScratchDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Where the stored aggregates differ from a from-scratch GROUP BY over the raw rows (empty when exact): the same
     * reference the api-server tests use.
     */
    static List<String> aggregateDifferences(ScratchDatabase db) throws SQLException {
        List<String> diffs = new ArrayList<>(rows(db, """
                WITH fresh AS (
                    SELECT product_id,
                           count(*) FILTER (WHERE rating = 1) r1, count(*) FILTER (WHERE rating = 2) r2,
                           count(*) FILTER (WHERE rating = 3) r3, count(*) FILTER (WHERE rating = 4) r4,
                           count(*) FILTER (WHERE rating = 5) r5,
                           count(*) FILTER (WHERE recommend) rt, count(*) FILTER (WHERE NOT recommend) rf
                      FROM reviews WHERE NOT reported GROUP BY product_id),
                stored AS (
                    SELECT product_id, rating_1::bigint r1, rating_2::bigint r2, rating_3::bigint r3,
                           rating_4::bigint r4, rating_5::bigint r5,
                           recommended_true::bigint rt, recommended_false::bigint rf
                      FROM product_review_stats
                     WHERE rating_1 + rating_2 + rating_3 + rating_4 + rating_5 > 0)
                SELECT 'product ' || coalesce(f.product_id, s.product_id) || ': fresh ' || f::text || ' stored ' || s::text
                  FROM fresh f FULL JOIN stored s ON s.product_id = f.product_id
                 WHERE f IS DISTINCT FROM s
                """));
        diffs.addAll(rows(db, """
                WITH fresh AS (
                    SELECT cr.characteristic_id id, sum(cr.value) total, count(*) n
                      FROM characteristic_reviews cr JOIN reviews r ON r.id = cr.review_id AND NOT r.reported
                     GROUP BY cr.characteristic_id),
                stored AS (SELECT characteristic_id id, value_sum total, value_count::bigint n FROM characteristic_stats
                            WHERE value_count > 0)
                SELECT 'characteristic ' || coalesce(f.id, s.id) || ': fresh ' || f::text || ' stored ' || s::text
                  FROM fresh f FULL JOIN stored s ON s.id = f.id
                 WHERE f IS DISTINCT FROM s
                """));
        diffs.addAll(rows(db, """
                SELECT 'characteristic without stats row ' || c.id FROM characteristics c
                 WHERE NOT EXISTS (SELECT 1 FROM characteristic_stats s WHERE s.characteristic_id = c.id)"""));
        return diffs;
    }
}
