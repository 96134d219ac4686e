package com.atelier.reviews.etl.job;

import com.atelier.reviews.db.AggregateCheck;
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
     * Where the stored aggregates differ from the schema's definition of them (empty when exact), as the api-server
     * tests check them; and a bulk load must also write a stats row for every characteristic, even one without values.
     */
    static List<String> aggregateDifferences(ScratchDatabase db) throws SQLException {
        List<String> diffs = new ArrayList<>(AggregateCheck.differences(db));
        diffs.addAll(rows(db, """
                SELECT 'characteristic without stats row ' || c.id FROM characteristics c
                 WHERE NOT EXISTS (SELECT 1 FROM characteristic_stats s WHERE s.characteristic_id = c.id)"""));
        return diffs;
    }
}
