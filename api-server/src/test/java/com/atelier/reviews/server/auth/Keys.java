package com.atelier.reviews.server.auth;

import com.atelier.reviews.db.ScratchDatabase;
import com.atelier.reviews.server.ReviewsApplication;
import com.atelier.reviews.server.ReviewsConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the api-server jar's {@code keys-*} commands in this JVM, as {@code ./reviews keys} runs them, against a
 * suite's database (through Dropwizard's {@code dw.} system-property overrides of config.yml).
 */
public final class Keys {

    /** What a command printed on standard output and standard error, and whether it failed. */
    public record Result(String out, String err, Optional<Throwable> failure) {
        public String printedKey() {
            return out.strip();
        }
    }

    private Keys() {
    }

    public static synchronized Result run(ScratchDatabase db, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("config.yml");
        System.setProperty("dw.database.url", db.settings().jdbcUrl());
        System.setProperty("dw.database.user", db.settings().user());
        System.setProperty("dw.database.password", db.settings().password() == null ? "" : db.settings().password());
        PrintStream stdout = System.out;
        InputStream stdinBefore = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin + "\n").getBytes(StandardCharsets.UTF_8)));
            ReviewsApplication app = new ReviewsApplication();
            Bootstrap<ReviewsConfiguration> bootstrap = new Bootstrap<>(app);
            app.initialize(bootstrap);
            Cli cli = new Cli(new JarLocation(ReviewsApplication.class), bootstrap, out, err);
            Optional<Throwable> failure = cli.run(all.toArray(String[]::new));
            return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), failure);
        } finally {
            System.setOut(stdout);
            System.setIn(stdinBefore);
            System.clearProperty("dw.database.url");
            System.clearProperty("dw.database.user");
            System.clearProperty("dw.database.password");
        }
    }

    /** {@code keys-create}: the printed key. */
    public static String create(ScratchDatabase db, String name, String scopes) {
        Result r = run(db, null, "keys-create", "--name", name, "--scopes", scopes);
        if (r.failure().isPresent()) {
            throw new IllegalStateException("keys-create failed: " + r.err(), r.failure().get());
        }
        return r.printedKey();
    }
}
