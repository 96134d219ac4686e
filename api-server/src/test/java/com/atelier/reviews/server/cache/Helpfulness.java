package com.atelier.reviews.server.cache;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.RunningApp;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** A product's listed reviews as review id to helpfulness: what a node answers, and what the database holds. */
final class Helpfulness {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Helpfulness() {
    }

    static Map<Integer, Integer> listedBy(RunningApp node, int product) throws Exception {
        try (Response r = node.target("/reviews").queryParam("product_id", product).queryParam("count", 1000)
                .request().get()) {
            assertThat(r.getStatus()).isEqualTo(200);
            Map<Integer, Integer> byId = new TreeMap<>();
            JSON.readTree(r.readEntity(String.class)).get("results")
                    .forEach(review -> byId.put(review.get("review_id").asInt(), review.get("helpfulness").asInt()));
            assertThat(byId).as("product %d has listed reviews", product).isNotEmpty();
            return byId;
        }
    }

    static Map<Integer, Integer> inDatabase(ScratchDatabase db, int product) throws SQLException {
        Map<Integer, Integer> byId = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, helpfulness FROM reviews WHERE product_id = " + product
                     + " AND NOT reported")) {
            while (rs.next()) {
                byId.put(rs.getInt(1), rs.getInt(2));
            }
        }
        return byId;
    }
}
