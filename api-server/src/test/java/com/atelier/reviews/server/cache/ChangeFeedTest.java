package com.atelier.reviews.server.cache;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.client.JerseyClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node following the change log on a real PostgreSQL: changes are applied whatever order their transactions
 * commit in; a node whose feed is cut off or stalled serves from the database, then caches again once it is back.
 */
class ChangeFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRODUCT_A = 2;
    private static final int PRODUCT_B = 1000011;
    private static RunningApp node;
    private static ScratchDatabase db;
    private static Client admin;

    @BeforeAll
    static void start() throws Exception {
        node = RunningApp.withSampleData("change_feed");
        db = node.database();
        admin = JerseyClientBuilder.createClient();
        node.awaitCachesTrusted();
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    @Test
    void aChangeCommittedAfterALaterOneIsStillApplied() throws Exception {
        cacheBoth();
        try (Connection first = db.connect(); Connection second = db.connect();
             Statement s1 = first.createStatement(); Statement s2 = second.createStatement()) {
            // The first transaction logs its change (taking the smaller transaction id) but commits last.
            first.setAutoCommit(false);
            s1.execute("UPDATE reviews SET helpfulness = helpfulness + 50 WHERE product_id = " + PRODUCT_A);
            s1.execute("INSERT INTO cache_changes (product_id) VALUES (" + PRODUCT_A + ")");
            second.setAutoCommit(false);
            s2.execute("UPDATE reviews SET helpfulness = helpfulness + 60 WHERE product_id = " + PRODUCT_B);
            s2.execute("INSERT INTO cache_changes (product_id) VALUES (" + PRODUCT_B + ")");
            second.commit();
            waitOneLease();
            assertThat(listedHelpfulness(PRODUCT_B)).as("the later transaction's change").isEqualTo(dbHelpfulness(PRODUCT_B));

            cacheBoth();
            first.commit();
            waitOneLease();
            assertThat(listedHelpfulness(PRODUCT_A)).as("the earlier transaction's change, committed after the later one")
                    .isEqualTo(dbHelpfulness(PRODUCT_A));
        }
    }

    @Test
    void aStalledFeedMakesTheNodeReadTheDatabaseUntilItIsBack() throws Exception {
        cacheBoth();
        long untrustedBefore = meter("cache.reviews.untrusted");
        try (Connection locker = db.connect(); Statement s = locker.createStatement();
             Connection writer = db.connect(); Statement w = writer.createStatement()) {
            locker.setAutoCommit(false);
            s.execute("LOCK TABLE cache_changes IN ACCESS EXCLUSIVE MODE"); // the feed's next poll waits
            Thread.sleep(1_200);
            assertThat(feedHealth().get("healthy").asBoolean()).as("health while stalled").isFalse();

            // A change the stalled node cannot hear of (its log entry follows once the log is free again): only the
            // database has it, so a node that still trusted its cache would answer the old rows.
            w.execute("UPDATE reviews SET helpfulness = helpfulness + 9 WHERE product_id = " + PRODUCT_A);
            assertThat(listedHelpfulness(PRODUCT_A)).as("answered from the database while the feed is stalled")
                    .isEqualTo(dbHelpfulness(PRODUCT_A));
            assertThat(meter("cache.reviews.untrusted")).isGreaterThan(untrustedBefore);
            locker.rollback();
            w.execute("INSERT INTO cache_changes (product_id) VALUES (" + PRODUCT_A + ")");
        }
        node.awaitCachesTrusted();
        assertCachesServeAgain();
    }

    @Test
    void aDroppedFeedConnectionIsReplacedAndTheCachesStartOver() throws Exception {
        cacheBoth();
        long restartsBefore = meter("cache.feed.restarts");
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND application_name LIKE 'reviews-change-feed %'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("feed connections terminated").isEqualTo(1);
        }
        for (int i = 0; i < 100 && meter("cache.feed.restarts") == restartsBefore; i++) {
            Thread.sleep(50);
        }
        assertThat(meter("cache.feed.restarts")).as("the feed reconnected and started over").isGreaterThan(restartsBefore);
        node.awaitCachesTrusted();
        assertCachesServeAgain();
    }

    /** Exact answers, and hits again (a few tries: on a loaded machine a late poll sends a read to the database). */
    private static void assertCachesServeAgain() throws Exception {
        cacheBoth();
        long hits = meter("cache.reviews.hits");
        for (int attempt = 0; attempt < 50 && meter("cache.reviews.hits") < hits + 2; attempt++) {
            assertThat(listedHelpfulness(PRODUCT_A)).isEqualTo(dbHelpfulness(PRODUCT_A));
            assertThat(listedHelpfulness(PRODUCT_B)).isEqualTo(dbHelpfulness(PRODUCT_B));
        }
        assertThat(meter("cache.reviews.hits")).as("hits once the feed is back").isGreaterThanOrEqualTo(hits + 2);
    }

    private static JsonNode feedHealth() throws Exception {
        try (Response r = admin.target(node.adminUri()).path("/healthcheck").request().get()) {
            return JSON.readTree(r.readEntity(String.class)).get("change-feed");
        }
    }

    private static void cacheBoth() throws Exception {
        for (int i = 0; i < 2; i++) {
            listedHelpfulness(PRODUCT_A);
            listedHelpfulness(PRODUCT_B);
        }
    }

    private static void waitOneLease() throws InterruptedException {
        Thread.sleep(node.configuration().getCache().getLease().toMilliseconds() + 1);
    }

    private static long meter(String name) throws Exception {
        JsonNode metrics = JSON.readTree(admin.target(node.adminUri()).path("/metrics").request().get(String.class));
        return metrics.at("/meters/" + name + "/count").asLong();
    }

    private static Map<Integer, Integer> listedHelpfulness(int product) throws Exception {
        return Helpfulness.listedBy(node, product);
    }

    private static Map<Integer, Integer> dbHelpfulness(int product) throws SQLException {
        return Helpfulness.inDatabase(db, product);
    }
}
