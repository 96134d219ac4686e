package com.atelier.reviews.server.cli;

import com.atelier.reviews.db.Migrations;
import com.atelier.reviews.server.ReviewsApplication;
import com.atelier.reviews.server.ReviewsConfiguration;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;

/** {@code java -jar api-server.jar migrate config.yml}: applies pending schema migrations and exits. */
public class MigrateCommand extends ConfiguredCommand<ReviewsConfiguration> {

    public MigrateCommand() {
        super("migrate", "Applies pending database schema migrations");
    }

    @Override
    protected void run(Bootstrap<ReviewsConfiguration> bootstrap, Namespace namespace, ReviewsConfiguration config) {
        var result = Migrations.migrate(ReviewsApplication.connectionSettings(config));
        System.out.println("schema at version " + result.targetSchemaVersion + ", " + result.migrationsExecuted
                + " migration(s) applied");
    }
}
