package com.atelier.reviews.launcher;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code ./reviews demo} (embedded PostgreSQL, a 50-product dataset, one node, on free ports and a temporary
 * DEMO_DIR) stopped by SIGINT or SIGTERM leaves no process and no busy port behind: the node, the embedded
 * database's JVM and PostgreSQL itself (which runs detached from the launcher's process tree) are all gone.
 * Runs against the jars that `mvn -B verify` packaged before this module; it never builds (a stand-in mvn on PATH
 * fails the demo if the launcher tried).
 */
class DemoShutdownTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @ParameterizedTest(name = "SIGINT/SIGTERM: kill -{0} exits {1}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalStopsTheDemoAndEverythingItStarted(String signal, int exitCode, @TempDir Path dir) throws Exception {
        for (String jar : List.of("api-server/target/api-server.jar", "batch-etl/target/batch-etl.jar",
                "database-testing/target/database-testing.jar")) {
            assertThat(REPO.resolve(jar)).as("%s (run mvn -B verify from the project root)", jar).exists();
        }
        Path demoDir = dir.resolve("demo");
        Path log = dir.resolve("demo.log");
        int port = freePort();
        int adminPort = freePort();
        int dbPort = freePort();

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"),
                "#!/bin/sh\necho 'DemoShutdownTest: the launcher tried to build; the jars must be fresh' >&2\nexit 1\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();

        ProcessBuilder builder = new ProcessBuilder("bash", REPO.resolve("reviews").toString(), "demo")
                .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("DATABASE_")); // the embedded PostgreSQL is what is under test
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("DEMO_DIR", demoDir.toString());
        env.put("DEMO_PRODUCTS", "50");
        env.put("DEMO_DB_PORT", Integer.toString(dbPort));
        env.put("PORT", Integer.toString(port));
        env.put("ADMIN_PORT", Integer.toString(adminPort));
        env.put("SERVER_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        env.put("ETL_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");

        Process demo = builder.start();
        List<ProcessHandle> started = new ArrayList<>();
        try {
            awaitServing(demo, port, log);
            started.addAll(demo.descendants().toList());
            started.add(postmaster(demoDir, log));
            assertThat(started).as("the node, the database's JVM and PostgreSQL").hasSizeGreaterThanOrEqualTo(3);
            for (int p : List.of(port, adminPort, dbPort)) {
                assertThat(listening(p)).as("port %d in use while the demo runs", p).isTrue();
            }

            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(demo.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            if (!demo.waitFor(60, TimeUnit.SECONDS)) {
                fail("the launcher still runs 60 s after SIGINT/TERM; its log:\n" + Files.readString(log));
            }
            assertThat(demo.exitValue()).as("exit status; log:\n%s", Files.readString(log)).isEqualTo(exitCode);

            for (ProcessHandle p : started) {
                p.onExit().get(30, TimeUnit.SECONDS); // each must be gone (a timeout fails the test)
                assertThat(p.isAlive()).as("%s", p.info().commandLine().orElse("pid " + p.pid())).isFalse();
            }
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                    .map(c -> c.contains(demoDir.toString())).orElse(false))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList())
                    .as("processes still using %s", demoDir).isEmpty();
            for (int p : List.of(port, adminPort, dbPort)) {
                assertThat(bindable(p)).as("port %d free again", p).isTrue();
            }
        } finally {
            // A failed run must not leave its processes to the next test or engineer.
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void awaitServing(Process demo, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        HttpRequest meta = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/reviews/meta?product_id=1"))
                .timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!demo.isAlive()) {
                fail("the demo exited with " + demo.exitValue() + " before serving; its log:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = HTTP.send(meta, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"product_id\":\"1\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        fail("the demo did not serve within " + START_TIMEOUT + "; its log:\n" + Files.readString(log));
    }

    /** PostgreSQL's postmaster: pg_ctl starts it detached, so it is no descendant of the launcher. */
    private static ProcessHandle postmaster(Path demoDir, Path log) throws IOException {
        Path pid = demoDir.resolve("pg").resolve("postmaster.pid");
        assertThat(pid).as("postmaster.pid; log:\n%s", Files.readString(log)).exists();
        long id = Long.parseLong(Files.readAllLines(pid, StandardCharsets.UTF_8).get(0).trim());
        return ProcessHandle.of(id).orElseThrow(() -> new AssertionError("no PostgreSQL process " + id));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** Free for a new server: nothing listens (lingering TIME_WAIT connections do not count, as for PostgreSQL). */
    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }
}
