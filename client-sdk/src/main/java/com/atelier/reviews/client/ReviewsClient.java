package com.atelier.reviews.client;

import com.atelier.reviews.client.api.ModerationApi;
import com.atelier.reviews.client.api.ReviewsApi;
import com.atelier.reviews.client.invoker.ApiClient;
import com.atelier.reviews.client.invoker.ApiException;
import com.atelier.reviews.client.invoker.ApiResponse;
import com.atelier.reviews.client.model.NewReview;
import com.atelier.reviews.client.model.ReportedReviewList;
import com.atelier.reviews.client.model.Review;
import com.atelier.reviews.client.model.ReviewList;
import com.atelier.reviews.client.model.ReviewResponseUpdate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The Reviews API with sane defaults. Build one per base URI and share it (it is thread-safe): every call goes
 * through one {@link HttpClient} (HTTP/1.1, connect and read timeouts), carries a {@code User-Agent} naming this SDK,
 * answers a {@link ReviewsException} on failure, and is retried on transport errors and 429/502/503/504 with
 * backoff, honouring {@code Retry-After}. Each write sends one {@code Idempotency-Key} on all its attempts, so the
 * server applies it once however many attempts it took.
 *
 * <pre>{@code
 * ReviewsClient reviews = ReviewsClient.builder("http://127.0.0.1:8080").build();
 * int id = reviews.addReview(new NewReview().productId(2).rating(5)...);
 * for (Review r : reviews.reviews(2, ReviewSort.NEWEST)) { ... }
 * }</pre>
 */
public final class ReviewsClient {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than the server's own bounds (10 s statement timeout, 1 s pool wait), so its 503 arrives first. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_INITIAL_RETRY_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(5);
    /** Page size of {@link #reviews(int, ReviewSort)}. */
    public static final int DEFAULT_PAGE_SIZE = 100;

    private static final String VERSION = readVersion();

    private final HttpClient http;
    private final ApiClient apiClient;
    private final ReviewsApi api;
    private final ModerationApi moderation;
    private final Retries retries;
    private final String userAgent;

    private ReviewsClient(Builder b) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // the API (and NGINX before it) speaks HTTP/1.1: no h2c upgrade
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.userAgent = "atelier-reviews-java/" + VERSION + " (Java " + Runtime.version().feature() + ")";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", userAgent);
        headers.putAll(b.headers);
        this.apiClient = new SharedApiClient(http, b.baseUri);
        apiClient.setReadTimeout(b.readTimeout);
        apiClient.setConnectTimeout(b.connectTimeout);
        apiClient.setRequestInterceptor(request -> headers.forEach(request::setHeader));
        this.api = new ReviewsApi(apiClient);
        this.moderation = new ModerationApi(apiClient);
        this.retries = new Retries(b.maxAttempts, b.initialRetryDelay, b.maxRetryDelay);
    }

    /** The generated ApiClient, whose {@code getHttpClient()} builds a new HttpClient (and thread) per API object. */
    private static final class SharedApiClient extends ApiClient {
        private final HttpClient http;

        SharedApiClient(HttpClient http, String baseUri) {
            super(HttpClient.newBuilder(), createDefaultObjectMapper(), baseUri);
            this.http = http;
        }

        @Override
        public HttpClient getHttpClient() {
            return http;
        }
    }

    /** A client with the defaults. */
    public static ReviewsClient create(String baseUri) {
        return builder(baseUri).build();
    }

    /** {@code baseUri}: scheme, host, port and optional path prefix, e.g. {@code http://127.0.0.1:8080}. */
    public static Builder builder(String baseUri) {
        return new Builder(baseUri);
    }

    /** This SDK's version (the Maven version it was built as). */
    public static String version() {
        return VERSION;
    }

    public String userAgent() {
        return userAgent;
    }

    /** One page of a product's reviews ({@code page} from 1). */
    public ReviewList listReviews(int productId, int page, int count, ReviewSort sort) {
        Objects.requireNonNull(sort, "sort");
        return retries.run(() -> api.listReviews(productId, page, count, sort.wireValue()));
    }

    /** All of a product's listed reviews, fetched lazily {@value #DEFAULT_PAGE_SIZE} at a time. */
    public Iterable<Review> reviews(int productId, ReviewSort sort) {
        return reviews(productId, sort, DEFAULT_PAGE_SIZE);
    }

    /**
     * All of a product's listed reviews, fetched lazily page by page until a short page. A review added while
     * iterating shifts later pages by one; ids already returned are skipped, so none comes twice.
     */
    public Iterable<Review> reviews(int productId, ReviewSort sort, int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1");
        }
        return () -> new Iterator<>() {
            private final Set<Integer> seen = new HashSet<>();
            private Iterator<Review> page = Collections.emptyIterator();
            private int next = 1;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && !last) {
                    List<Review> results = listReviews(productId, next++, pageSize, sort).getResults();
                    last = results.size() < pageSize;
                    page = results.stream().filter(r -> seen.add(r.getReviewId())).iterator();
                }
                return page.hasNext();
            }

            @Override
            public Review next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
    }

    /** A product's rating and recommendation counts and characteristic averages, as numbers. */
    public ReviewStats meta(int productId) {
        return ReviewStats.of(retries.run(() -> api.getReviewMeta(productId)));
    }

    /** Adds a review and returns its id; retried under one new {@code Idempotency-Key}. */
    public int addReview(NewReview review) {
        return addReview(review, newIdempotencyKey());
    }

    /**
     * Adds a review under the caller's {@code Idempotency-Key} (keep it to retry after a restart: for 24 hours the
     * same key and body answer the first review's id again and add nothing).
     */
    public int addReview(NewReview review, String idempotencyKey) {
        Objects.requireNonNull(review, "review");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        return retries.run(() -> reviewId(api.addReviewWithHttpInfo(review, idempotencyKey)));
    }

    private static int reviewId(ApiResponse<String> created) {
        List<String> id = created.getHeaders().get("Review-Id"); // HttpHeaders.map() is case-insensitive
        if (id == null || id.isEmpty() || !id.get(0).matches("[0-9]{1,10}")) {
            throw new ApiException(created.getStatusCode(), "the answer to POST /reviews has no Review-Id header");
        }
        return Integer.parseInt(id.get(0));
    }

    /** Adds one helpful vote, once however many attempts it takes. */
    public void markReviewHelpful(int reviewId) {
        markReviewHelpful(reviewId, newIdempotencyKey());
    }

    public void markReviewHelpful(int reviewId, String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        retries.run(() -> {
            api.markReviewHelpful(reviewId, idempotencyKey);
            return null;
        });
    }

    /** Reports a review: it is no longer listed nor counted. */
    public void reportReview(int reviewId) {
        reportReview(reviewId, newIdempotencyKey());
    }

    public void reportReview(int reviewId, String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        retries.run(() -> {
            api.reportReview(reviewId, idempotencyKey);
            return null;
        });
    }

    /**
     * One page of the moderation queue: the reported reviews with their report counts ({@code page} from 1). Needs a
     * key with the {@code moderate} scope (see {@link Builder#authorization(String)}).
     */
    public ReportedReviewList reportedReviews(int page, int count) {
        return retries.run(() -> moderation.listReportedReviews(page, count));
    }

    /** Lists and counts a reported review again and clears its reports (nothing happens to one not reported). */
    public void restoreReview(int reviewId) {
        retries.run(() -> {
            moderation.restoreReview(reviewId);
            return null;
        });
    }

    /**
     * Deletes a review for good. Not idempotent: when an attempt's answer was lost after the server removed it, the
     * retry answers 404 ({@link ReviewsException#status()}).
     */
    public void removeReview(int reviewId) {
        retries.run(() -> {
            moderation.removeReview(reviewId);
            return null;
        });
    }

    /** Sets the merchant's response shown with the review in {@code GET /reviews}; {@code null} clears it. */
    public void setResponse(int reviewId, String response) {
        ReviewResponseUpdate update = new ReviewResponseUpdate().response(response);
        retries.run(() -> {
            moderation.setReviewResponse(reviewId, update);
            return null;
        });
    }

    /** The generated moderation API on this client's HTTP client (not retried; see {@link #api()}). */
    public ModerationApi moderationApi() {
        return moderation;
    }

    /**
     * The generated API on this client's HTTP client, timeouts and headers, for what the methods above do not cover
     * (raw headers, {@code WithHttpInfo} variants). Its calls are not retried and throw the generated
     * {@link ApiException}: {@link ReviewsException#from(ApiException)} decodes it.
     */
    public ReviewsApi api() {
        return api;
    }

    /** Another generated API class (for instance {@code ReviewsApi::new}) on this client's one HTTP client. */
    public <T> T newApi(Function<ApiClient, T> constructor) {
        return constructor.apply(apiClient);
    }

    private static String newIdempotencyKey() {
        return UUID.randomUUID().toString();
    }

    private static String readVersion() {
        Properties p = new Properties();
        try (InputStream in = ReviewsClient.class.getResourceAsStream("sdk.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version", "unknown");
    }

    /** Settings of a {@link ReviewsClient}; each has a default. */
    public static final class Builder {
        private final String baseUri;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialRetryDelay = DEFAULT_INITIAL_RETRY_DELAY;
        private Duration maxRetryDelay = DEFAULT_MAX_RETRY_DELAY;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(String baseUri) {
            URI uri = URI.create(Objects.requireNonNull(baseUri, "baseUri"));
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("baseUri must be absolute, like http://127.0.0.1:8080: " + baseUri);
            }
            this.baseUri = baseUri.endsWith("/") ? baseUri.substring(0, baseUri.length() - 1) : baseUri;
        }

        /** Time to open a TCP connection (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Time for a whole answer, headers and body, per attempt (default 30 s). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /** Attempts per call, the first included (default 3; 1 turns retries off). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Backoff between attempts: {@code initial} doubled per retry up to {@code max} (defaults 500 ms and 5 s).
         * A {@code Retry-After} above {@code max} ends the retries.
         */
        public Builder retryDelays(Duration initial, Duration max) {
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("retry delays must satisfy 0 <= initial <= max");
            }
            this.initialRetryDelay = initial;
            this.maxRetryDelay = max;
            return this;
        }

        /** A header sent with every request (replaces the SDK's own value of the same name). */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The {@code Authorization} header sent with every request, e.g. {@code "Bearer <token>"}. */
        public Builder authorization(String value) {
            return header("Authorization", value);
        }

        public ReviewsClient build() {
            return new ReviewsClient(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
