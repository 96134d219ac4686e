package com.atelier.reviews.server.browser;

import com.atelier.reviews.server.RunningApp;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A browser-direct front end in real headless Chromium: our page (test resource browser/front-end.html), served from
 * another origin than the API by a small HTTP server of the test's own, calls all five endpoints with fetch() the way
 * a Ratings & Reviews widget does (JSON POST, Idempotency-Key, PUT votes; with and without an Authorization header,
 * so with and without preflights for the reads) and reads every answer; then each effect is checked in PostgreSQL.
 * Skipped only where no Chromium and ChromeDriver are installed (apt-get install chromium chromium-driver); CI
 * installs them (.ci/run), so there it always runs.
 */
class BrowserFrontEndTest {

    private static final int PRODUCT = 3; // has characteristics and, in the sample, no reviews

    private static RunningApp app;
    private static HttpServer pages;
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = executable("chromedriver");
        assumeTrue(chromium.isPresent() && driver.isPresent(),
                "no Chromium and ChromeDriver here (apt-get install chromium chromium-driver): skipping the browser test");
        app = RunningApp.withSampleData("browser");
        pages = servePage();
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        // As root, in a container, with nothing else to talk to: no sandbox, no GPU, no background traffic.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (pages != null) {
            pages.stop(0);
        }
        if (app != null) {
            app.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @ParameterizedTest(name = "with Authorization header: {0}")
    @ValueSource(booleans = {true, false})
    void aPageOnAnotherOriginUsesEveryEndpointAndEachEffectIsStored(boolean authorization) throws Exception {
        String name = authorization ? "browser-auth" : "browser-plain";
        String page = "http://127.0.0.1:" + pages.getAddress().getPort() + "/front-end.html?api="
                + URLEncoder.encode(app.baseUri(), StandardCharsets.UTF_8) + "&product=" + PRODUCT + "&name=" + name
                + "&auth=" + (authorization ? 1 : 0);
        assertThat(page).as("the page's origin is not the API's").doesNotStartWith(app.baseUri() + "/");
        browser.get(page);

        @SuppressWarnings("unchecked")
        Map<String, Object> outcome = (Map<String, Object>) browser.executeAsyncScript(
                "arguments[arguments.length - 1] && window.frontEnd.then(arguments[arguments.length - 1]);");
        assertThat(outcome.get("ok")).as("the page says: %s, after %s", outcome.get("error"), outcome.get("steps"))
                .isEqualTo(true);
        assertThat(browser.getTitle()).startsWith("done ");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) outcome.get("steps");
        assertThat(steps).extracting(s -> s.get("step") + " " + s.get("status")).containsExactly(
                "meta 200", "post 201", "list 200", "helpful 204", "list-again 200", "report 204",
                "list-after-report 200", "error 400");
        assertThat((String) steps.get(0).get("text")).contains("\"product_id\":\"" + PRODUCT + "\"");
        assertThat(steps.get(1).get("text")).isEqualTo("Created");
        assertThat((String) steps.get(1).get("location")).endsWith("/reviews?product_id=" + PRODUCT); // exposed
        int id = ((Number) outcome.get("id")).intValue();
        assertThat(steps.get(1).get("reviewId")).isEqualTo(Integer.toString(id));

        // What the page did is in the database: the review with its photo and characteristics, one vote, reported.
        try (Connection db = app.database().connect(); PreparedStatement s = db.prepareStatement("""
                SELECT r.product_id, r.reviewer_name, r.reviewer_email, r.rating, r.helpfulness, r.reported,
                       (SELECT count(*) FROM reviews_photos p WHERE p.review_id = r.id),
                       (SELECT count(*) FROM characteristic_reviews c WHERE c.review_id = r.id),
                       (SELECT count(*) FROM characteristics c WHERE c.product_id = r.product_id)
                  FROM reviews r WHERE r.id = ?""")) {
            s.setInt(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("review %d is stored", id).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(PRODUCT);
                assertThat(rs.getString(2)).isEqualTo(name);
                assertThat(rs.getString(3)).isEqualTo(name + "@example.com");
                assertThat(rs.getInt(4)).isEqualTo(5);
                assertThat(rs.getInt(5)).as("helpfulness").isEqualTo(1);
                assertThat(rs.getBoolean(6)).as("reported").isTrue();
                assertThat(rs.getLong(7)).as("photos").isEqualTo(1);
                assertThat(rs.getLong(8)).as("characteristic values").isPositive().isEqualTo(rs.getLong(9));
            }
        }
    }

    /** The page, from the test's resources, on a port of its own: another origin than the API's. */
    private static HttpServer servePage() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/front-end.html", exchange -> {
            try (InputStream in = BrowserFrontEndTest.class.getResourceAsStream("/browser/front-end.html")) {
                byte[] html = in.readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, html.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(html);
                }
            }
        });
        server.start();
        return server;
    }

    private static Optional<Path> executable(String... names) {
        List<String> dirs = Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                Stream.of("/usr/bin", "/usr/local/bin")).toList();
        return Stream.of(names).flatMap(n -> dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, n)))
                .filter(Files::isExecutable).findFirst();
    }
}
