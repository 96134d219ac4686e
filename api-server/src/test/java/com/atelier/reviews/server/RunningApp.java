package com.atelier.reviews.server;

import com.atelier.reviews.db.ScratchDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.client.JerseyClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real API node (the production config.yml, random ports) on a suite's own scratch database. Tests stop the
 * node before dropping the database.
 */
public final class RunningApp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScratchDatabase database;
    private final DropwizardTestSupport<ReviewsConfiguration> app;
    private final Client client;

    private RunningApp(ScratchDatabase database, DropwizardTestSupport<ReviewsConfiguration> app) {
        this.database = database;
        this.app = app;
        this.client = JerseyClientBuilder.createClient();
    }

    /** Starts a node on a new database holding the real sample rows. */
    public static RunningApp withSampleData(String suite, ConfigOverride... overrides) {
        ScratchDatabase db = ScratchDatabase.create(suite);
        runSqlResource(db, "/fixtures/atelier-sample.sql");
        return start(db, overrides);
    }

    /** Starts a(nother) node on an existing database. */
    public static RunningApp start(ScratchDatabase db, ConfigOverride... overrides) {
        return start(db, db.settings().jdbcUrl(), overrides);
    }

    /**
     * The same, reaching it through {@code jdbcUrl} (a primary with its standbys, say). Not an override of
     * database.url: two overrides of one key are applied in no fixed order.
     */
    public static RunningApp start(ScratchDatabase db, String jdbcUrl, ConfigOverride... overrides) {
        List<ConfigOverride> all = new ArrayList<>(List.of(
                ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                ConfigOverride.config("server.adminConnectors[0].port", "0"),
                ConfigOverride.config("database.url", jdbcUrl),
                ConfigOverride.config("database.user", db.settings().user()),
                ConfigOverride.config("database.password", db.settings().password())));
        all.addAll(List.of(overrides));
        DropwizardTestSupport<ReviewsConfiguration> support = new DropwizardTestSupport<>(ReviewsApplication.class,
                "config.yml", all.toArray(ConfigOverride[]::new));
        try {
            support.before();
        } catch (Exception e) {
            throw new IllegalStateException("the API node did not start", e);
        }
        return new RunningApp(db, support);
    }

    public static void runSqlResource(ScratchDatabase db, String resource) {
        try (var in = RunningApp.class.getResourceAsStream(resource); Connection c = db.connect();
             Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + resource, e);
        }
    }

    public String baseUri() {
        return "http://127.0.0.1:" + app.getLocalPort();
    }

    public String adminUri() {
        return "http://127.0.0.1:" + app.getAdminPort();
    }

    public WebTarget target(String path) {
        return client.target(baseUri()).path(path);
    }

    public ScratchDatabase database() {
        return database;
    }

    public ReviewsConfiguration configuration() {
        return app.getConfiguration();
    }

    public Environment environment() {
        return app.getEnvironment();
    }

    public ReviewsApplication application() {
        return app.getApplication();
    }

    /** Until the node's change feed follows the log and trusts its caches (it starts asynchronously, then waits). */
    public void awaitCachesTrusted() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (Response r = client.target(adminUri()).path("/healthcheck").request().get()) {
                if (JSON.readTree(r.readEntity(String.class)).at("/change-feed/message").asText()
                        .endsWith("caches trusted")) {
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the change feed of " + baseUri() + " did not start following the log");
    }

    /** Stops this node only. */
    public void stop() {
        client.close();
        app.after();
    }

    /** Stops the node, then drops its database. */
    @Override
    public void close() {
        stop();
        database.close();
    }
}
