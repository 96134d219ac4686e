package com.atelier.reviews.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real NGINX with nginx/nginx.conf.template (rendered by nginx/render-conf.py, as for the cluster) in front of a
 * real node: NGINX's own errors have the contract's ErrorMessage shape and CORS headers, the node's CORS headers pass
 * through once (preflights too, through the votes' internal hop), and votes reach the node through that hop with
 * their method. Skipped, not failed, where NGINX (or python3, which renders the template) is missing; CI installs
 * them (.ci/run), so there it always runs.
 */
class NginxProxyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    /** Not exempt from the rate limit, unlike 127.0.0.1 (the whole 127/8 is loopback on Linux). */
    private static final String LIMITED_CLIENT = "127.0.0.2";
    private static final String ORIGIN = "http://shop.example:3000";
    /** The no-node proxy allows only these (CORS_ALLOWED_ORIGINS), to check that NGINX refuses the others. */
    private static final String RESTRICTED = "https://shop.example, https://*.atelier.example";

    private static RunningApp app;
    private static Nginx proxy;
    private static Nginx noNode;

    @BeforeAll
    static void start() throws Exception {
        String nginx = findNginx();
        assumeTrue(nginx != null, "NGINX is not installed (apt-get install nginx-light): skipping the proxy tests");
        assumeTrue(onPath("python3"), "python3 renders the NGINX config: skipping");
        app = RunningApp.withSampleData("nginx_proxy");
        proxy = Nginx.start(nginx, "front", port(app.baseUri()), "*");
        noNode = Nginx.start(nginx, "no-node", freePort(), RESTRICTED);
    }

    @AfterAll
    static void stop() {
        if (noNode != null) {
            noNode.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void proxiesReadsToTheNode() throws Exception {
        Answer answer = proxy.send("127.0.0.1", "GET", "/reviews/meta?product_id=2", null);
        assertThat(answer.status).isEqualTo(200);
        assertThat(JSON.readTree(answer.body).get("product_id").asText()).isEqualTo("2");
    }

    @Test
    void limitsAClientBeyondItsRateWith429RetryAfterAndTheErrorShape() throws Exception {
        // 1 request/s and a burst of 1 for this address: one of a few back-to-back requests is limited.
        Answer limited = null;
        for (int i = 0; i < 100 && limited == null; i++) {
            Answer answer = proxy.send(LIMITED_CLIENT, "GET", "/reviews/meta?product_id=1", null, "Origin: " + ORIGIN);
            assertThat(answer.status).isIn(200, 429);
            assertCors(answer, ORIGIN);
            if (answer.status == 429) {
                limited = answer;
            }
        }
        assertThat(limited).as("a 429 among 100 requests at 1 request/s").isNotNull();
        assertThat(limited.headers.get("retry-after")).isEqualTo("1");
        assertThat(limited.headers.get("access-control-expose-headers")).as("the page can read Retry-After")
                .isEqualTo("Retry-After");
        assertError(limited, 429);
    }

    @Test
    void rejectsABodyOver64KiBWith413InTheErrorShape() throws Exception {
        byte[] body = ("{\"body\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Answer answer = proxy.send("127.0.0.1", "POST", "/reviews", body, "Origin: " + ORIGIN);
        assertThat(answer.status).isEqualTo(413);
        assertError(answer, 413);
        assertCors(answer, ORIGIN);
    }

    @Test
    void answers502InTheErrorShapeWhenNoNodeAnswers() throws Exception {
        for (String method : List.of("GET", "PUT")) {
            String path = method.equals("GET") ? "/reviews?product_id=1" : "/reviews/5/helpful";
            Answer answer = noNode.send("127.0.0.1", method, path, null, "Origin: https://eu.atelier.example");
            assertThat(answer.status).as("%s %s", method, path).isEqualTo(502);
            assertThat(answer.headers.get("retry-after")).isEqualTo("1");
            assertError(answer, 502);
            assertCors(answer, "https://eu.atelier.example");

            Answer notAllowed = noNode.send("127.0.0.1", method, path, null, "Origin: https://evil.example");
            assertThat(notAllowed.status).isEqualTo(502);
            assertThat(notAllowed.headers).as("an origin the nodes would refuse")
                    .doesNotContainKeys("access-control-allow-origin", "access-control-expose-headers");
            Answer noOrigin = noNode.send("127.0.0.1", method, path, null);
            assertThat(noOrigin.headers).doesNotContainKey("access-control-allow-origin");
        }
        Answer allowed = noNode.send("127.0.0.1", "GET", "/reviews?product_id=1", null, "Origin: https://shop.example");
        assertCors(allowed, "https://shop.example");
    }

    @Test
    void theNodesCorsHeadersPassThroughOnceOnAnswersAndErrors() throws Exception {
        for (String[] request : List.of(new String[] {"GET", "/reviews/?product_id=2&sort=relevant&count=0"},
                new String[] {"GET", "/reviews/meta?product_id=2"},
                new String[] {"GET", "/reviews?product_id=abc"}, // the node's legacy 422
                new String[] {"PUT", "/reviews/999999/report"}, // the node's 404, through the votes' hop
                new String[] {"PUT", "/reviews/6/helpful"})) {
            // Accept-Encoding: NGINX gzips the larger answers, adding its own Vary beside the node's
            Answer answer = proxy.send("127.0.0.1", request[0], request[1], null, "Origin: " + ORIGIN,
                    "Authorization: Bearer front-end-token", "Accept-Encoding: gzip");
            assertThat(answer.status).as("%s %s", request[0], request[1]).isIn(200, 204, 404, 422);
            assertCors(answer, ORIGIN);
            assertThat(answer.headers.get("access-control-expose-headers"))
                    .isEqualTo("Location,Review-Id,Idempotent-Replayed,Retry-After");
        }
    }

    @Test
    void preflightsReachTheNodeThroughBothLocationsAndPassThroughOnce() throws Exception {
        int before = helpfulness(5);
        for (String[] preflight : List.of(new String[] {"PUT", "/reviews/5/helpful"},
                new String[] {"PUT", "/reviews/5/report"}, new String[] {"POST", "/reviews"},
                new String[] {"GET", "/reviews?product_id=2"})) {
            Answer answer = proxy.send("127.0.0.1", "OPTIONS", preflight[1], null, "Origin: " + ORIGIN,
                    "Access-Control-Request-Method: " + preflight[0],
                    "Access-Control-Request-Headers: authorization,content-type,idempotency-key");
            assertThat(answer.status).as("preflight of %s %s: %s", preflight[0], preflight[1], answer).isEqualTo(200);
            assertCors(answer, ORIGIN);
            assertThat(answer.headers.get("access-control-allow-methods")).isEqualTo("GET,POST,PUT,OPTIONS");
            assertThat(answer.headers.get("access-control-allow-headers").toLowerCase(Locale.ROOT))
                    .contains("authorization", "content-type", "idempotency-key");
            assertThat(answer.headers.get("access-control-max-age")).isEqualTo("3600");
        }
        assertThat(helpfulness(5)).as("a preflight is not a vote").isEqualTo(before);
    }

    @Test
    void votesReachTheNodeWithTheirMethodThroughTheInternalHop() throws Exception {
        int before = helpfulness(5);
        Answer answer = proxy.send("127.0.0.1", "PUT", "/reviews/5/helpful", null);
        assertThat(answer.status).isEqualTo(204);
        assertThat(helpfulness(5)).isEqualTo(before + 1);

        Answer unknown = proxy.send("127.0.0.1", "PUT", "/reviews/999999/helpful", null);
        assertThat(unknown.status).as("the node's own 404 passes through").isEqualTo(404);
        assertThat(JSON.readTree(unknown.body).get("code").asInt()).isEqualTo(404);

        Answer wrongMethod = proxy.send("127.0.0.1", "GET", "/reviews/5/helpful", null);
        assertThat(wrongMethod.status).as("a GET stays a GET through the hop").isEqualTo(405);
        assertThat(helpfulness(5)).isEqualTo(before + 1);
    }

    /** The origin allowed exactly once, and no header line sent twice (by the node and NGINX both). */
    private static void assertCors(Answer answer, String origin) {
        assertThat(answer.count("access-control-allow-origin")).as("%s", answer.lines).isEqualTo(1);
        assertThat(answer.headers.get("access-control-allow-origin")).isEqualTo(origin);
        for (String name : List.of("access-control-expose-headers", "access-control-allow-methods",
                "access-control-allow-headers", "access-control-max-age", "retry-after", "content-type")) {
            assertThat(answer.count(name)).as("%s in %s", name, answer.lines).isLessThanOrEqualTo(1);
        }
        assertThat(answer.lines).as("a header line twice").doesNotHaveDuplicates();
        assertThat(answer.lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("vary:"))
                .flatMap(l -> Stream.of(l.substring(5).split(","))).map(v -> v.trim().toLowerCase(Locale.ROOT)))
                .as("Vary values in %s", answer.lines).contains("origin").doesNotHaveDuplicates();
    }

    private static void assertError(Answer answer, int code) throws IOException {
        assertThat(answer.headers.get("content-type")).startsWith("application/json");
        JsonNode error = JSON.readTree(answer.body);
        assertThat(error.get("code").asInt()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    private static int helpfulness(int reviewId) throws Exception {
        try (Connection c = app.database().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT helpfulness FROM reviews WHERE id = " + reviewId)) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    private static String findNginx() {
        return Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")), Stream.of("/usr/sbin"))
                .map(dir -> Path.of(dir, "nginx")).filter(Files::isExecutable).map(Path::toString)
                .findFirst().orElse(null);
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static int port(String uri) {
        return Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Headers by lower-case name (a repeated one: the last), and every header line as sent. */
    record Answer(int status, Map<String, String> headers, List<String> lines, String body) {
        long count(String name) {
            return lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(name + ":")).count();
        }
    }

    /** An NGINX in the foreground with the rendered template, in a directory under target/. */
    static final class Nginx implements AutoCloseable {

        private final Process process;
        private final int port;

        private Nginx(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Nginx start(String nginx, String name, int nodePort, String corsOrigins) throws Exception {
            // Under target/, not a private temp dir: NGINX's workers (nobody, when run as root) use its socket.
            Path dir = Path.of("target", "nginx-test-" + name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
            Files.createDirectories(dir);
            int port = freePort();
            ProcessBuilder render = new ProcessBuilder("python3", REPO.resolve("nginx/render-conf.py").toString())
                    .redirectErrorStream(true);
            Map<String, String> env = render.environment();
            env.put("CLUSTER_DIR", dir.toString());
            env.put("CLUSTER_NODES", "1");
            env.put("NODE_BASE_PORT", Integer.toString(nodePort));
            env.put("LISTEN", "127.0.0.1:" + port);
            env.put("NGINX_WORKERS", "1");
            env.put("RATE_LIMIT_RPS", "1");
            env.put("RATE_LIMIT_BURST", "1");
            env.put("RATE_LIMIT_EXEMPT", "127.0.0.1/32");
            env.put("CORS_ALLOWED_ORIGINS", corsOrigins);
            Process renderer = render.start();
            String output = new String(renderer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(renderer.waitFor()).as("render-conf.py: %s", output).isZero();

            Process process = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            for (int i = 0; i < 200; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return new Nginx(process, port);
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("NGINX exited: " + Files.readString(dir.resolve("nginx.out")));
                    }
                    Thread.sleep(50);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("NGINX did not listen on " + port);
        }

        /** One HTTP/1.1 request from the given loopback address (java.net.http cannot choose it on Java 17). */
        Answer send(String from, String method, String path, byte[] body, String... headers) throws IOException {
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(from, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: close\r\n");
                for (String header : headers) {
                    head.append(header).append("\r\n");
                }
                if (body != null) {
                    head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
                }
                out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                if (body != null) {
                    try {
                        out.write(body);
                    } catch (IOException closedEarly) {
                        // NGINX may answer 413 and close before reading the whole body; its answer is still there.
                    }
                }
                out.flush();
                return parse(socket.getInputStream());
            }
        }

        private static Answer parse(InputStream in) throws IOException {
            byte[] bytes = in.readAllBytes();
            String raw = new String(bytes, StandardCharsets.ISO_8859_1); // one char a byte: indexes are byte offsets
            int split = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, split).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, List.of(lines).subList(1, lines.length),
                    new String(bytes, split + 4, bytes.length - split - 4, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            process.destroy(); // SIGTERM: NGINX's fast shutdown
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
