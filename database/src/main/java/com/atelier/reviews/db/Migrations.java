package com.atelier.reviews.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the versioned schema in {@code classpath:db/migration} (Flyway; concurrent starts are safe). */
public final class Migrations {

    private Migrations() {
    }

    public static MigrateResult migrate(ConnectionSettings db) {
        return Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }
}
