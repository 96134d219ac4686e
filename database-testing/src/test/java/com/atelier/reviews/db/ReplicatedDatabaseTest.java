package com.atelier.reviews.db;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test support itself: a real streaming, synchronous standby that can lag on demand and be promoted. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedDatabaseTest {

    private static ReplicatedDatabase db;

    @BeforeAll
    static void start() {
        db = ReplicatedDatabase.start();
        execute(db.primarySettings(), "CREATE TABLE t (id int PRIMARY KEY, v text)");
        execute(db.primarySettings(), "INSERT INTO t VALUES (1, 'one')");
        db.awaitStandbyCaughtUp();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    @Order(1)
    void theStandbyIsASynchronousReadOnlyCopy() throws SQLException {
        assertThat(query(db.primarySettings(),
                "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'")).isEqualTo("sync");
        assertThat(query(db.standbySettings(), "SELECT pg_is_in_recovery()")).isEqualTo("t");
        assertThat(query(db.standbySettings(), "SELECT v FROM t WHERE id = 1")).isEqualTo("one");
        assertThatThrownBy(() -> execute(db.standbySettings(), "INSERT INTO t VALUES (2, 'two')"))
                .hasRootCauseMessage("ERROR: cannot execute INSERT in a read-only transaction");
    }

    @Test
    @Order(2)
    void aPausedStandbyServesTheOldRowsUntilResumed() throws SQLException {
        db.pauseReplay();
        execute(db.primarySettings(), "UPDATE t SET v = 'uno' WHERE id = 1");
        assertThat(query(db.standbySettings(), "SELECT v FROM t WHERE id = 1")).isEqualTo("one");
        db.resumeReplay();
        db.awaitStandbyCaughtUp();
        assertThat(query(db.standbySettings(), "SELECT v FROM t WHERE id = 1")).isEqualTo("uno");
    }

    @Test
    @Order(3)
    void afterTheKillThePromotedStandbyTakesWritesThroughTheWriterUrl() throws SQLException {
        execute(db.primarySettings(), "INSERT INTO t VALUES (3, 'acknowledged before the crash')");
        db.killPrimary();
        assertThatThrownBy(() -> query(db.primarySettings(), "SELECT 1")).isInstanceOf(IllegalStateException.class);
        db.promoteStandby();
        ConnectionSettings writer = db.writerSettings("postgres");
        execute(writer, "INSERT INTO t VALUES (4, 'after the promotion')");
        assertThat(query(writer, "SELECT string_agg(v, ',' ORDER BY id) FROM t"))
                .isEqualTo("uno,acknowledged before the crash,after the promotion");
        assertThat(query(writer, "SELECT inet_server_port()")).isEqualTo(Integer.toString(db.standbyPort()));
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", "postgres");
        try (Connection c = new FailoverDriver().connect(writer.jdbcUrl(), props); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT inet_server_port(), pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getInt(1)).as("FailoverDriver reaches the promoted host").isEqualTo(db.standbyPort());
            assertThat(rs.getBoolean(2)).isFalse();
        }
    }

    private static String query(ConnectionSettings on, String sql) throws SQLException {
        try {
            try (Connection c = DriverManager.getConnection(on.jdbcUrl(), on.user(), on.password());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + on, e);
        }
    }

    private static void execute(ConnectionSettings on, String sql) {
        try (Connection c = DriverManager.getConnection(on.jdbcUrl(), on.user(), on.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + on, e);
        }
    }
}
