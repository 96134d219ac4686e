package com.atelier.reviews.server;

import com.atelier.reviews.db.AggregateCheck;
import com.atelier.reviews.db.ScratchDatabase;

import java.sql.SQLException;
import java.util.List;

/** The api-server suites' entry to {@link AggregateCheck}: the stored totals against the schema's definition. */
public final class Aggregates {

    private Aggregates() {
    }

    /** Rows where the stored totals and the recomputation differ (empty when exact). */
    public static List<String> differences(ScratchDatabase db) throws SQLException {
        return AggregateCheck.differences(db);
    }
}
