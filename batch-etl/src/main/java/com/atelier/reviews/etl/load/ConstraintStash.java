package com.atelier.reviews.etl.load;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops, and later recreates, the primary keys, indexes and foreign keys of the four loaded tables, so a first load
 * into empty tables COPYs at full speed and builds each index once at the end. The definitions are read from the
 * catalog ({@code pg_get_constraintdef}, {@code pg_get_indexdef}) and saved in {@code etl_saved_constraints} in the
 * same transaction as the drop: the migrations remain the only place that defines them, and a crash in between
 * cannot lose them.
 *
 * <p>When the loader may switch off the foreign-key triggers for its own transactions ({@link #canSkipForeignKeyChecks}:
 * {@code session_replication_role = replica}, as pg_restore's {@code --disable-triggers} does), the foreign keys and
 * the keys they reference stay in place: the loader checks every reference itself against the referenced ids, and
 * re-adding a foreign key would re-check 19 M rows. Otherwise they are dropped and re-added (and re-checked) too.
 */
public final class ConstraintStash {

    /**
     * Foreign keys touching the tables (either side), their keys, their other indexes; restore runs the reverse. With
     * the second parameter true, foreign keys and the keys they reference are left out (kept).
     */
    private static final String CATALOG = """
            WITH loaded AS (SELECT unnest(?::text[])::regclass AS rel), keep AS (SELECT ?::boolean AS foreign_keys)
            SELECT 3 AS kind, c.conrelid::regclass::text AS table_name, c.conname::text AS name,
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                          pg_get_constraintdef(c.oid)) AS restore_sql,
                   format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_sql
              FROM pg_constraint c
             WHERE c.contype = 'f' AND NOT (SELECT foreign_keys FROM keep)
               AND (c.conrelid IN (SELECT rel FROM loaded) OR c.confrelid IN (SELECT rel FROM loaded))
            UNION ALL
            SELECT 1, c.conrelid::regclass::text, c.conname::text,
                   CASE WHEN c.contype IN ('p', 'u') THEN
                       -- the index first (a SHARE lock: other indexes of the table can build meanwhile), then the
                       -- constraint on it (an instant ACCESS EXCLUSIVE lock)
                       pg_get_indexdef(c.conindid) || '; ' || format('ALTER TABLE %s ADD CONSTRAINT %I %s USING INDEX %I',
                           c.conrelid::regclass, c.conname,
                           CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, c.conname)
                   ELSE format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                          pg_get_constraintdef(c.oid)) END,
                   format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
              FROM pg_constraint c
             WHERE c.contype IN ('p', 'u', 'x') AND c.conrelid IN (SELECT rel FROM loaded)
               AND NOT ((SELECT foreign_keys FROM keep)
                        AND EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid))
            UNION ALL
            SELECT 2, i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                   format('DROP INDEX %s', i.indexrelid::regclass)
              FROM pg_index i
             WHERE i.indrelid IN (SELECT rel FROM loaded)
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                                WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
            ORDER BY kind, name
            """;

    private ConstraintStash() {
    }

    /** True when a bulk load has dropped the constraints of {@code table} and not restored them yet. */
    public static boolean isStashed(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM etl_saved_constraints WHERE table_name = ?")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    public static boolean anyStashed(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM etl_saved_constraints")) {
            return rs.next();
        }
    }

    /**
     * True when this session may set {@code session_replication_role} (a superuser, or granted SET on it), which
     * switches off foreign-key triggers for the loader's own transactions.
     */
    public static boolean canSkipForeignKeyChecks(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT current_setting('is_superuser') = 'on'"
                        + " OR has_parameter_privilege('session_replication_role', 'SET')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** For the current transaction: no foreign-key (or other non-ALWAYS) triggers fire. */
    public static void skipForeignKeyChecks(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL session_replication_role = replica");
        }
    }

    /** True when a bulk load is under way with the foreign keys kept (their triggers to be switched off). */
    public static boolean foreignKeysKept(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT EXISTS (SELECT 1 FROM etl_saved_constraints)"
                        + " AND NOT EXISTS (SELECT 1 FROM etl_saved_constraints WHERE restore_sql LIKE '% FOREIGN KEY %')")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Saves and drops; returns how many were dropped. */
    public static int stashAndDrop(Connection c, List<String> tables, boolean keepForeignKeys) throws SQLException {
        record Saved(int kind, String table, String name, String restoreSql, String dropSql) {
        }
        List<Saved> saved = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(CATALOG)) {
            Array names = c.createArrayOf("text", tables.toArray());
            s.setArray(1, names);
            s.setBoolean(2, keepForeignKeys);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    saved.add(new Saved(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO etl_saved_constraints (position, table_name, name, restore_sql) VALUES (?, ?, ?, ?)")) {
            int position = 0;
            for (Saved s : saved) {
                insert.setInt(1, ++position);
                insert.setString(2, s.table());
                insert.setString(3, s.name());
                insert.setString(4, s.restoreSql());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            for (int i = saved.size() - 1; i >= 0; i--) { // foreign keys first, keys last
                s.execute(saved.get(i).dropSql());
            }
        }
        return saved.size();
    }

    /**
     * The keys and indexes of {@code table} still to rebuild, by position (foreign keys excluded: they wait for
     * every table).
     */
    public static List<Integer> keysAndIndexes(Connection c, String table) throws SQLException {
        List<Integer> positions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT position FROM etl_saved_constraints"
                + " WHERE table_name = ? AND restore_sql NOT LIKE '% FOREIGN KEY %' ORDER BY position")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    positions.add(rs.getInt(1));
                }
            }
        }
        return positions;
    }

    /**
     * Recreates the one saved at {@code position} and forgets it, in the caller's transaction (so a crash leaves it
     * saved, and the final restore does it). False when it was restored already.
     */
    public static boolean restoreOne(Connection c, int position, String maintenanceWorkMem) throws SQLException {
        String sql;
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM etl_saved_constraints WHERE position = ? RETURNING restore_sql")) {
            s.setInt(1, position);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                sql = rs.getString(1);
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL maintenance_work_mem = '" + maintenanceWorkMem + "'");
            s.execute(sql);
        }
        return true;
    }

    /** Recreates everything saved, in order, and forgets it; returns how many were recreated. */
    public static int restore(Connection c) throws SQLException {
        List<String> statements = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT restore_sql FROM etl_saved_constraints ORDER BY position")) {
            while (rs.next()) {
                statements.add(rs.getString(1));
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL maintenance_work_mem = '1GB'"); // index builds and foreign key checks in memory
            for (String sql : statements) {
                s.execute(sql);
            }
            s.execute("DELETE FROM etl_saved_constraints");
        }
        return statements.size();
    }
}
