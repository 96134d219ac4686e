package com.atelier.reviews.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' reference for the precomputed aggregates: the stored {@code product_review_stats} and
 * {@code characteristic_stats} against the schema's own definition of them, the views
 * {@code product_review_stats_fresh} and {@code characteristic_stats_fresh} (migration V6) that the rebuild and the
 * refresh also read. A stored row of zeros equals no row: a write may leave one behind (a reported last review).
 */
public final class AggregateCheck {

    private AggregateCheck() {
    }

    /** Rows where the stored totals and a recomputation from the raw rows differ; empty when they are exact. */
    public static List<String> differences(ScratchDatabase db) throws SQLException {
        return differences(db.settings());
    }

    /** The same on any server holding the schema (a promoted standby, say). */
    public static List<String> differences(ConnectionSettings db) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            List<String> diffs = rows(s, """
                    WITH fresh AS (SELECT * FROM product_review_stats_fresh),
                    stored AS (SELECT * FROM product_review_stats
                                WHERE rating_1 + rating_2 + rating_3 + rating_4 + rating_5 > 0)
                    SELECT 'product ' || coalesce(f.product_id, s.product_id) || ': fresh ' || f::text
                           || ' stored ' || s::text
                      FROM fresh f FULL JOIN stored s ON s.product_id = f.product_id
                     WHERE f IS DISTINCT FROM s""");
            diffs.addAll(rows(s, """
                    WITH fresh AS (SELECT * FROM characteristic_stats_fresh WHERE value_count > 0),
                    stored AS (SELECT * FROM characteristic_stats WHERE value_count > 0)
                    SELECT 'characteristic ' || coalesce(f.characteristic_id, s.characteristic_id) || ': fresh '
                           || f::text || ' stored ' || s::text
                      FROM fresh f FULL JOIN stored s ON s.characteristic_id = f.characteristic_id
                     WHERE f IS DISTINCT FROM s"""));
            return diffs;
        }
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
