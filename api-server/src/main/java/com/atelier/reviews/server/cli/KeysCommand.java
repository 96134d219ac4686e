package com.atelier.reviews.server.cli;

import com.atelier.reviews.db.CacheChanges;
import com.atelier.reviews.db.ConnectionSettings;
import com.atelier.reviews.db.Migrations;
import com.atelier.reviews.server.ReviewsApplication;
import com.atelier.reviews.server.ReviewsConfiguration;
import com.atelier.reviews.server.auth.ApiKeyDao;
import com.atelier.reviews.server.auth.KeyMaterial;
import com.atelier.reviews.server.auth.Scope;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * {@code java -jar api-server.jar keys-create|keys-import|keys-list|keys-revoke [options] config.yml} (the launcher's
 * {@code ./reviews keys ...}). Each change logs a KEYS_CHANGED entry in its transaction, which every node's change
 * feed picks up; the command then waits out the longest cache lease plus a margin, so that when it returns the
 * change is in effect on every node that follows the feed.
 */
public abstract class KeysCommand extends ConfiguredCommand<ReviewsConfiguration> {

    /** The feed's poll and the node's reload of the keys take a few milliseconds; this is ample. */
    static final long SETTLE_MILLIS = CacheChanges.MAX_LEASE_MILLIS;

    protected KeysCommand(String name, String description) {
        super(name, description);
    }

    @Override
    protected void run(Bootstrap<ReviewsConfiguration> bootstrap, Namespace namespace, ReviewsConfiguration config)
            throws Exception {
        ConnectionSettings settings = ReviewsApplication.connectionSettings(config);
        if (config.isMigrateOnStart()) {
            Migrations.migrate(settings);
        }
        Jdbi jdbi = Jdbi.create(settings.jdbcUrl(), settings.user(), settings.password() == null ? "" : settings.password())
                .installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
        run(jdbi.onDemand(ApiKeyDao.class), namespace, System.out);
    }

    /** A refused argument is a one-line message, not a stack trace. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof IllegalArgumentException) {
            cli.getStdErr().println("error: " + e.getMessage());
        } else {
            super.onError(cli, namespace, e);
        }
    }

    abstract void run(ApiKeyDao keys, Namespace namespace, PrintStream out) throws Exception;

    static void addName(Subparser subparser) {
        subparser.addArgument("--name").required(true).help("the key's name: " + KeyMaterial.NAME_RULE);
    }

    static void addScopes(Subparser subparser) {
        subparser.addArgument("--scopes").required(true).help("comma-separated: read, write, moderate");
    }

    static String validName(Namespace namespace) {
        String name = namespace.getString("name");
        if (!KeyMaterial.validName(name) || name.equals("anonymous")) {
            throw new IllegalArgumentException("--name must be " + KeyMaterial.NAME_RULE + " (and not 'anonymous')");
        }
        return name;
    }

    static void add(ApiKeyDao keys, String name, String key, Set<Scope> scopes) {
        byte[] hash = KeyMaterial.hash(key);
        if (keys.nameInUse(name)) {
            throw new IllegalArgumentException("a key named '" + name + "' is in use; revoke it first");
        }
        if (keys.hashKnown(hash)) {
            throw new IllegalArgumentException("this token is already registered (under another name, or revoked)");
        }
        keys.add(name, hash, Scope.toWire(scopes));
    }

    static void settle() throws InterruptedException {
        Thread.sleep(SETTLE_MILLIS);
    }

    /** {@code keys-create --name N --scopes read,write}: makes a new key and prints it, once. */
    public static final class Create extends KeysCommand {
        public Create() {
            super("keys-create", "Creates an API key and prints it (only now: it is stored as a hash)");
        }

        @Override
        public void configure(Subparser subparser) {
            super.configure(subparser);
            addName(subparser);
            addScopes(subparser);
        }

        @Override
        void run(ApiKeyDao keys, Namespace namespace, PrintStream out) throws InterruptedException {
            String name = validName(namespace);
            Set<Scope> scopes = Scope.parseAll(namespace.getString("scopes"));
            String key = KeyMaterial.newKey();
            add(keys, name, key, scopes);
            settle();
            System.err.println("created key '" + name + "' (" + Scope.describe(scopes)
                    + "); it is shown only this once:");
            out.println(key);
        }
    }

    /** {@code keys-import --name N --scopes S}: registers a token a front end already sends, read from stdin. */
    public static final class Import extends KeysCommand {
        public Import() {
            super("keys-import", "Registers an existing token (read from standard input) as an API key");
        }

        @Override
        public void configure(Subparser subparser) {
            super.configure(subparser);
            addName(subparser);
            addScopes(subparser);
        }

        @Override
        void run(ApiKeyDao keys, Namespace namespace, PrintStream out) throws Exception {
            String name = validName(namespace);
            Set<Scope> scopes = Scope.parseAll(namespace.getString("scopes"));
            // From stdin, not argv: a command line is visible to every user of the machine (ps).
            String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            token = token == null ? "" : token.trim();
            if (!KeyMaterial.validToken(token)) {
                throw new IllegalArgumentException("the token must be " + KeyMaterial.TOKEN_RULE);
            }
            add(keys, name, token, scopes);
            settle();
            out.println("imported the token as key '" + name + "' (" + Scope.describe(scopes) + ")");
        }
    }

    /** {@code keys-list}: every key's name, scopes and times; never a key or a hash. */
    public static final class ListKeys extends KeysCommand {
        public ListKeys() {
            super("keys-list", "Lists the API keys (names, scopes, created, last used, revoked)");
        }

        @Override
        void run(ApiKeyDao keys, Namespace namespace, PrintStream out) {
            out.printf("%-24s %-20s %-28s %-28s %s%n", "NAME", "SCOPES", "CREATED", "LAST USED", "REVOKED");
            for (ApiKeyDao.StoredKey k : keys.allKeys()) {
                out.printf("%-24s %-20s %-28s %-28s %s%n", k.name(), String.join(",", k.scopes()), k.createdAt(),
                        k.lastUsedAt() == null ? "-" : k.lastUsedAt(), k.revokedAt() == null ? "-" : k.revokedAt());
            }
        }
    }

    /** {@code keys-revoke --name N}: the key is refused by every node once this returns. */
    public static final class Revoke extends KeysCommand {
        public Revoke() {
            super("keys-revoke", "Revokes the API key in use under a name");
        }

        @Override
        public void configure(Subparser subparser) {
            super.configure(subparser);
            addName(subparser);
        }

        @Override
        void run(ApiKeyDao keys, Namespace namespace, PrintStream out) throws InterruptedException {
            String name = validName(namespace);
            if (!keys.revokeAndNotify(name)) {
                throw new IllegalArgumentException("no key named '" + name + "' is in use");
            }
            settle();
            out.println("revoked key '" + name + "'");
        }
    }
}
