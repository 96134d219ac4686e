package com.atelier.reviews.server.resources;

import com.atelier.reviews.contract.api.ReviewsApi;
import com.atelier.reviews.server.auth.AccessGate;
import com.atelier.reviews.server.auth.Admission;
import com.atelier.reviews.server.auth.Scope;
import com.atelier.reviews.server.cache.EncodedJson;
import com.atelier.reviews.server.core.ReviewReader;
import com.atelier.reviews.server.errors.ApiException;
import com.atelier.reviews.server.errors.DatabaseUnavailableExceptionMapper;
import com.atelier.reviews.server.errors.ErrorResponses;
import com.atelier.reviews.server.errors.InvalidProductIdException;
import com.atelier.reviews.server.input.StrictInteger;
import com.atelier.reviews.server.warmup.WarmupPass;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jdbi.v3.core.JdbiException;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Answers the two reads in plain form before Jersey, whose per-request work was half of a cache hit's CPU and 40 % of
 * a miss's (docs/PERFORMANCE.md): the reader's encoded answer, with the status, headers and endpoint metrics Jersey's
 * answer has, and a database failure answered by the same {@link DatabaseUnavailableExceptionMapper}.
 *
 * <p>Plain form: {@code GET /reviews} or {@code GET /reviews/meta}, the endpoint's own parameters each once, as ASCII
 * digits or a sort word, valid by the resource's rules ({@link ReviewsResource.ListParams}); an Accept that takes
 * JSON without quality values; a caller the {@link AccessGate} admits. Everything else goes on to Jersey, which stays
 * the one definition of every other answer (parameter errors, refusals, content negotiation, HEAD); a decision the
 * gate made here goes with it, so it is made once.
 * Mapped after the application's other filters: CORS, the input limits and the out-of-rotation check run first.
 */
public final class PlainReadFilter implements Filter {

    private final ReviewReader reader;
    private final AccessGate gate;
    private final Scope needed;
    private final DatabaseUnavailableExceptionMapper databaseErrors;
    private final ObjectMapper json;
    private final Endpoint list;
    private final Endpoint meta;

    public PlainReadFilter(ReviewReader reader, AccessGate gate, ReviewsResource resource,
                           DatabaseUnavailableExceptionMapper databaseErrors, ObjectMapper json,
                           MetricRegistry metrics) {
        this.reader = reader;
        this.gate = gate;
        this.needed = resource.requiredScope(HttpMethod.GET);
        this.databaseErrors = databaseErrors;
        this.json = json;
        this.list = new Endpoint(metrics, "listReviews");
        this.meta = new Endpoint(metrics, "getReviewMeta");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (!answered(request, (HttpServletResponse) res)) {
            chain.doFilter(req, res);
        }
    }

    private boolean answered(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!HttpMethod.GET.equals(request.getMethod()) || !acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            return false;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean isList = "/reviews".equals(path);
        if (!isList && !"/reviews/meta".equals(path)) {
            return false;
        }
        PlainQuery query = PlainQuery.parse(request.getQueryString());
        if (query == null || (!isList && query.listOnly())) {
            return false;
        }
        long start = System.nanoTime();
        ReviewsResource.ListParams params = null;
        try {
            if (isList) {
                params = ReviewsResource.ListParams.of(query.productId, query.page, query.count, query.sort);
            } else {
                ReviewsResource.requireProductId(query.productId);
            }
        } catch (ApiException | InvalidProductIdException invalid) {
            return false; // the resource's rules refuse it: Jersey answers why
        }
        Admission admission = gate.admit(needed, request.getHeader(HttpHeaders.AUTHORIZATION),
                request.getHeader(WarmupPass.HEADER));
        if (!admission.admitted()) {
            request.setAttribute(Admission.ATTRIBUTE, admission);
            return false;
        }
        Endpoint endpoint = isList ? list : meta;
        EncodedJson answer;
        try {
            answer = isList ? reader.list(params.productId(), params.order(), params.page(), params.count())
                    : reader.meta(query.productId);
        } catch (JdbiException e) {
            endpoint.failed();
            ErrorResponses.write(response, json, databaseErrors.toResponse(e));
            return true;
        }
        // Counted before the write: once its last byte is out, the client may already be reading the metrics.
        endpoint.answered(System.nanoTime() - start);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON);
        response.setContentLength(answer.length());
        answer.writeTo(response.getOutputStream());
        return true;
    }

    /**
     * Absent, or a list of plain media ranges one of which is JSON or a wildcard: what fetch, XHR and HTTP libraries
     * send. Quality values and anything else go to Jersey's content negotiation.
     */
    static boolean acceptsJson(String accept) {
        if (accept == null) {
            return true;
        }
        if (accept.indexOf(';') >= 0) {
            return false;
        }
        for (String range : accept.split(",")) {
            String media = range.trim();
            if (media.equals("*/*") || media.equalsIgnoreCase("application/*")
                    || media.equalsIgnoreCase(MediaType.APPLICATION_JSON)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The metrics Jersey's instrumentation keeps for the operation, fed for the answers given here: its timer and
     * total timer (no filter of Jersey's ran, so not theirs), its 2xx and 5xx meters and its exception meter.
     */
    private static final class Endpoint {
        private final Timer method;
        private final Timer total;
        private final Meter ok;
        private final Meter serverErrors;
        private final Meter exceptions;

        Endpoint(MetricRegistry metrics, String operation) {
            String name = MetricRegistry.name(ReviewsApi.class, operation);
            this.method = metrics.timer(name);
            this.total = metrics.timer(MetricRegistry.name(name, "total"));
            this.ok = metrics.meter(MetricRegistry.name(name, "2xx-responses"));
            this.serverErrors = metrics.meter(MetricRegistry.name(name, "5xx-responses"));
            this.exceptions = metrics.meter(MetricRegistry.name(name, "exceptions"));
        }

        void answered(long nanos) {
            method.update(nanos, TimeUnit.NANOSECONDS);
            total.update(nanos, TimeUnit.NANOSECONDS);
            ok.mark();
        }

        /** A database failure, answered 503 or 500 by the mapper. */
        void failed() {
            exceptions.mark();
            serverErrors.mark();
        }
    }

    /** The reads' parameters from a query string in plain form only ({@code null} for any other). */
    static final class PlainQuery {
        private static final int MAX_VALUE_LENGTH = 16;

        Integer productId;
        Integer page;
        Integer count;
        String sort;

        boolean listOnly() {
            return page != null || count != null || sort != null;
        }

        static PlainQuery parse(String query) {
            if (query == null || query.isEmpty()) {
                return null;
            }
            PlainQuery q = new PlainQuery();
            int start = 0;
            while (start <= query.length()) {
                int end = query.indexOf('&', start);
                if (end < 0) {
                    end = query.length();
                }
                int eq = query.indexOf('=', start);
                if (eq < 0 || eq >= end || !q.take(query.substring(start, eq), query.substring(eq + 1, end))) {
                    return null;
                }
                start = end + 1;
            }
            return q;
        }

        /** False for an unknown, repeated or unplain parameter. */
        private boolean take(String name, String value) {
            switch (name) {
                case "product_id" -> {
                    return productId == null && (productId = integer(value)) != null;
                }
                case "page" -> {
                    return page == null && (page = integer(value)) != null;
                }
                case "count" -> {
                    return count == null && (count = integer(value)) != null;
                }
                case "sort" -> {
                    if (sort != null || !word(value)) {
                        return false;
                    }
                    sort = value;
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        private static Integer integer(String value) {
            OptionalInt parsed = StrictInteger.parse(value);
            return parsed.isPresent() ? parsed.getAsInt() : null;
        }

        private static boolean word(String value) {
            if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                    return false;
                }
            }
            return true;
        }
    }
}
