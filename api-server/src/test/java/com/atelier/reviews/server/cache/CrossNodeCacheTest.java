package com.atelier.reviews.server.cache;

import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.db.CacheChanges;
import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.client.JerseyClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three nodes with caches on, on one database: a write through any node is visible through every other node as soon
 * as the write returns, and a bulk load's "everything changed" entry clears every node within the lease.
 */
class CrossNodeCacheTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRODUCT = 2;
    private static ScratchDatabase db;
    private static List<RunningApp> nodes;
    private static Client admin;

    @BeforeAll
    static void start() throws Exception {
        RunningApp first = RunningApp.withSampleData("cross_node_cache");
        db = first.database();
        nodes = List.of(first, RunningApp.start(db), RunningApp.start(db));
        admin = JerseyClientBuilder.createClient();
        for (RunningApp node : nodes) {
            node.awaitCachesTrusted();
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        for (RunningApp node : nodes.subList(1, 3)) {
            node.stop();
        }
        nodes.get(0).close();
    }

    @Test
    void writesThroughOneNodeAreReadThroughTheOthersAtOnce() throws Exception {
        warmAllNodes();

        int[] reviewIds = {3, 4, 5, 6, 7};
        for (int round = 0; round < 9; round++) {
            RunningApp writer = nodes.get(round % 3);
            switch (round % 3) {
                case 0 -> postReview(writer, 1 + round % 5);
                case 1 -> assertThat(put(writer, "/reviews/" + reviewIds[round % 5] + "/helpful")).isEqualTo(204);
                default -> assertThat(put(writer, "/reviews/" + reviewIds[round % 5] + "/report")).isEqualTo(204);
            }
            for (RunningApp reader : nodes) {
                assertFresh(reader, "after write " + round + " through node " + round % 3);
            }
            warmAllNodes(); // cache the new state again, so the next write must invalidate it everywhere
        }
        assertThat(AggregateCheck.differences(db)).isEmpty();
        for (RunningApp node : nodes) {
            JsonNode metrics = JSON.readTree(admin.target(node.adminUri()).path("/metrics").request().get(String.class));
            assertThat(metrics.at("/meters/cache.feed.changes/count").asLong()).as("changes applied by %s", node.baseUri())
                    .isGreaterThanOrEqualTo(9);
        }
    }

    @Test
    void aBulkLoadNotificationClearsEveryNode() throws Exception {
        warmAllNodes();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            // What a bulk load does, without its notification yet: the nodes keep serving their cached pages.
            s.execute("UPDATE reviews SET helpfulness = helpfulness + 100 WHERE product_id = " + PRODUCT);
            s.execute("SELECT rebuild_review_stats()");
            for (RunningApp node : nodes) {
                assertThat(answersFromItsCache(node)).as("%s serves its cached page until told", node.baseUri()).isTrue();
            }

            // The load's entry in the log; one lease later, no node may serve what it cached before.
            s.execute(CacheChanges.RECORD_EVERYTHING_CHANGED);
            Thread.sleep(nodes.get(0).configuration().getCache().getLease().toMilliseconds() + 1);
        }
        for (RunningApp node : nodes) {
            assertFresh(node, "one lease after the 'everything changed' entry");
        }
    }

    /** Until each node serves the product's list and meta from its cache (a late poll makes a read skip it). */
    private static void warmAllNodes() throws Exception {
        for (RunningApp node : nodes) {
            long hits = hits(node);
            for (int attempt = 0; attempt < 100 && hits(node) < hits + 2; attempt++) {
                listedHelpfulness(node);
                meta(node);
            }
            assertThat(hits(node)).as("%s caches the product", node.baseUri()).isGreaterThanOrEqualTo(hits + 2);
        }
    }

    /**
     * Whether the node answers the page it cached before the database changed behind its back. A node whose feed is
     * late on a loaded machine answers from the database (exact, but not what this checks), so it gets a few tries.
     */
    private static boolean answersFromItsCache(RunningApp node) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (!listedHelpfulness(node).equals(dbHelpfulness())) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    private static void assertFresh(RunningApp node, String when) throws Exception {
        assertThat(listedHelpfulness(node)).as("listed reviews through %s %s", node.baseUri(), when)
                .isEqualTo(dbHelpfulness());
        assertThat(meta(node).get("ratings").toString()).as("meta through %s %s", node.baseUri(), when)
                .isEqualTo(dbRatings());
    }

    private static Map<Integer, Integer> listedHelpfulness(RunningApp node) throws Exception {
        return Helpfulness.listedBy(node, PRODUCT);
    }

    private static JsonNode meta(RunningApp node) throws Exception {
        try (Response r = node.target("/reviews/meta").queryParam("product_id", PRODUCT).request().get()) {
            assertThat(r.getStatus()).isEqualTo(200);
            return JSON.readTree(r.readEntity(String.class));
        }
    }

    private static Map<Integer, Integer> dbHelpfulness() throws SQLException {
        return Helpfulness.inDatabase(db, PRODUCT);
    }

    /** The meta "ratings" object recomputed from the raw rows, in the legacy shape. */
    private static String dbRatings() throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(json_object_agg(rating::text, n::text ORDER BY rating), '{}')"
                     + " FROM (SELECT rating, count(*) n FROM reviews WHERE product_id = " + PRODUCT
                     + " AND NOT reported GROUP BY rating) t")) {
            rs.next();
            return JSON.readTree(rs.getString(1)).toString();
        }
    }

    private static void postReview(RunningApp node, int rating) {
        String body = """
                {"product_id": %d, "rating": %d, "summary": "Cross-node", "body": "Written through one node and \
                read through the others right after the write returned.", "recommend": true, "name": "tester",
                "email": "tester@example.com", "photos": [], "characteristics": {"5": 4}}""".formatted(PRODUCT, rating);
        try (Response r = node.target("/reviews").request().post(Entity.entity(body, MediaType.APPLICATION_JSON))) {
            assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(201);
        }
    }

    private static int put(RunningApp node, String path) {
        try (Response r = node.target(path).request().put(Entity.text(""))) {
            return r.getStatus();
        }
    }

    private static long hits(RunningApp node) throws Exception {
        JsonNode meters = JSON.readTree(admin.target(node.adminUri()).path("/metrics").request()
                .get(String.class)).get("meters");
        return meters.get("cache.reviews.hits").get("count").asLong() + meters.get("cache.meta.hits").get("count").asLong();
    }
}
