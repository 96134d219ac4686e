package com.atelier.reviews.server;

import com.atelier.reviews.client.ReviewSort;
import com.atelier.reviews.client.ReviewsClient;
import com.atelier.reviews.client.ReviewsException;
import com.atelier.reviews.client.invoker.ApiException;
import com.atelier.reviews.client.model.NewReview;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every error shape of the API as the SDK's {@link ReviewsException}, from a live node (400, the legacy 422 text,
 * 422 JSON, 404, 413, 415) and from sockets that refuse, never answer, or stall (transport errors and timeouts).
 */
class ClientSdkErrorsTest {

    /** Allowance on top of a configured timeout for a loaded machine. */
    private static final Duration MARGIN = Duration.ofSeconds(2);
    private static RunningApp app;
    private static ReviewsClient client;

    @BeforeAll
    static void start() {
        app = RunningApp.withSampleData("client_sdk_errors");
        client = ReviewsClient.create(app.baseUri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static ReviewsException error(ThrowingCallable call) {
        ReviewsException e = catchThrowableOfType(call, ReviewsException.class);
        assertThat(e).as("a ReviewsException").isNotNull();
        return e;
    }

    static NewReview review() {
        return new NewReview().productId(5).rating(4).body("Fifty characters at least, so that the body is valid.")
                .recommend(true).name("errors").email("errors@example.com");
    }

    @Test
    void aBadParameterIsA400NamingTheField() {
        // 1000001, not 0: since the legacy leniency (4d3a90c) count=0 means the default 5.
        ReviewsException e = error(() -> client.listReviews(2, 1, 1_000_001, ReviewSort.NEWEST));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.field()).hasValue("count");
        assertThat(e.errorMessage()).contains("count");
        assertThat(e.isRetryable()).isFalse();
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.getMessage()).startsWith("HTTP 400 [count]: ");
    }

    @Test
    void anInvalidProductIdIsTheLegacy422Text() {
        for (ThrowingCallable call : List.<ThrowingCallable>of(() -> client.meta(0),
                () -> client.listReviews(0, 1, 5, ReviewSort.RELEVANT))) {
            ReviewsException e = error(call);
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.isInvalidProductId()).isTrue();
            assertThat(e.field()).isEmpty();
            assertThat(e.errorMessage()).isEqualTo("Error: invalid product_id provided");
            assertThat(e.getResponseBody()).isEqualTo("Error: invalid product_id provided");
        }
    }

    @Test
    void anInvalidBodyIsA422NamingTheField() {
        ReviewsException e = error(() -> client.addReview(review().rating(9)));
        assertThat(e.status()).isEqualTo(422);
        assertThat(e.field()).hasValue("rating");
        assertThat(e.isInvalidProductId()).isFalse();
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void anUnknownReviewIsA404() {
        ReviewsException e = error(() -> client.markReviewHelpful(987_654));
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.field()).hasValue("review_id");
        assertThat(e.isRetryable()).isFalse();
        assertThat(error(() -> client.reportReview(987_654)).status()).isEqualTo(404);
    }

    @Test
    void anOversizedBodyIsA413() {
        ReviewsException e = error(() -> client.addReview(review().body("x".repeat(70_000))));
        assertThat(e.status()).isEqualTo(413);
        assertThat(e.errorMessage()).isNotBlank();
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void anotherContentTypeIsA415NamingIt() {
        // A default header replaces the SDK's own: here, a wrong Content-Type on every request.
        ReviewsClient wrong = ReviewsClient.builder(app.baseUri()).header("Content-Type", "text/plain").build();
        ReviewsException e = error(() -> wrong.addReview(review()));
        assertThat(e.status()).isEqualTo(415);
        assertThat(e.field()).hasValue("Content-Type");

        // The generated API's raw ApiException decodes to the same shape.
        ApiException raw = catchThrowableOfType(
                () -> client.api().getReviewMeta(1, Map.of("Content-Type", "garbage")), ApiException.class);
        assertThat(raw).isNotInstanceOf(ReviewsException.class);
        ReviewsException decoded = ReviewsException.from(raw);
        assertThat(decoded.status()).isEqualTo(415);
        assertThat(decoded.field()).hasValue("Content-Type");
    }

    @Test
    void aRefusedConnectionIsATransportErrorAfterEveryAttempt() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        ReviewsClient nobody = ReviewsClient.builder("http://127.0.0.1:" + port).maxAttempts(3)
                .retryDelays(Duration.ofMillis(10), Duration.ofMillis(50)).build();
        ReviewsException e = error(() -> nobody.addReview(review()));
        assertThat(e.status()).isZero();
        assertThat(e.isTransportError()).isTrue();
        assertThat(e.isTimeout()).isFalse();
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.field()).isEmpty();
        assertThat(e.getMessage()).startsWith("no answer: ");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        try (Silent server = new Silent(null)) {
            assertTimesOutWithin(server.port(), Duration.ofMillis(700));
        }
    }

    @Test
    void aBodyThatStallsTimesOutToo() throws IOException {
        // java.net.http's own request timeout ends at the headers: the SDK bounds the whole answer.
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"product\":";
        try (Silent server = new Silent(head)) {
            assertTimesOutWithin(server.port(), Duration.ofMillis(700));
        }
    }

    @Test
    void aConnectionThatCannotBeOpenedTimesOut() throws IOException {
        // A listening socket that never accepts, its backlog full: the kernel drops further SYNs, so connect hangs.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    Socket s = new Socket();
                    queued.add(s);
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()), 200);
                }
                throw new AssertionError("the backlog never filled");
            } catch (SocketTimeoutException backlogFull) {
                Duration timeout = Duration.ofMillis(500);
                ReviewsClient c = ReviewsClient.builder("http://127.0.0.1:" + full.getLocalPort())
                        .connectTimeout(timeout).maxAttempts(1).build();
                long start = System.nanoTime();
                ReviewsException e = error(() -> c.meta(1));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plus(MARGIN));
                assertThat(e.isTimeout()).isTrue();
                assertThat(e.getCause()).isInstanceOf(java.net.http.HttpConnectTimeoutException.class);
            } finally {
                for (Socket s : queued) {
                    s.close();
                }
            }
        }
    }

    static void assertTimesOutWithin(int port, Duration timeout) {
        ReviewsClient c = ReviewsClient.builder("http://127.0.0.1:" + port).readTimeout(timeout).maxAttempts(2)
                .retryDelays(Duration.ofMillis(10), Duration.ofMillis(10)).build();
        long start = System.nanoTime();
        ReviewsException e = error(() -> c.listReviews(2, 1, 5, ReviewSort.NEWEST));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(e.isTimeout()).isTrue();
        assertThat(e.isTransportError()).isTrue();
        assertThat(e.status()).isZero();
        assertThat(e.attempts()).isEqualTo(2);
        assertThat(took).isGreaterThanOrEqualTo(timeout.multipliedBy(2)).isLessThan(timeout.multipliedBy(2).plus(MARGIN));
    }

    /** Accepts connections, reads the request, writes {@code head} (or nothing) and then keeps silent. */
    static final class Silent implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new ArrayList<>();

        Silent(String head) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                        InputStream in = s.getInputStream();
                        in.read(new byte[8192]);
                        if (head != null) {
                            OutputStream out = s.getOutputStream();
                            out.write(head.getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        }
                    }
                } catch (IOException closed) {
                    // close() ends the loop
                }
            }, "silent-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
