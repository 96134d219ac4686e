package com.atelier.reviews.server.resources;

import com.atelier.reviews.contract.api.ReviewsApi;
import com.atelier.reviews.contract.model.NewReview;
import com.atelier.reviews.server.auth.Caller;
import com.atelier.reviews.server.auth.Scope;
import com.atelier.reviews.server.auth.ScopedResource;
import com.atelier.reviews.server.core.IdempotentRequest;
import com.atelier.reviews.server.core.ReviewReader;
import com.atelier.reviews.server.core.ReviewSubmission;
import com.atelier.reviews.server.core.ReviewWriter;
import com.atelier.reviews.server.core.WriteOutcome;
import com.atelier.reviews.server.db.SortOrder;
import com.atelier.reviews.server.errors.ApiException;
import com.atelier.reviews.server.errors.InvalidProductIdException;
import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.ResponseMetered;
import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import static com.atelier.reviews.server.input.InputLimits.COUNT_MESSAGE;
import static com.atelier.reviews.server.input.InputLimits.DEFAULT_COUNT;
import static com.atelier.reviews.server.input.InputLimits.DEFAULT_PAGE;
import static com.atelier.reviews.server.input.InputLimits.MAX_COUNT;
import static com.atelier.reviews.server.input.InputLimits.MAX_PAGE;
import static com.atelier.reviews.server.input.InputLimits.PAGE_MESSAGE;
import static com.atelier.reviews.server.input.InputLimits.REVIEW_ID_MESSAGE;

/**
 * The contract's five endpoints: parse, validate, delegate. Metrics are declared on the class: Dropwizard reads
 * method annotations from the generated interface's methods (which carry none), but class annotations from here.
 * Each endpoint gets a timer (rate and latency histogram), meters per status class, and an exception meter, named
 * after the operation ({@code com.atelier.reviews.contract.api.ReviewsApi.listReviews}...).
 */
@Timed
@ResponseMetered
@ExceptionMetered
public class ReviewsResource implements ReviewsApi, ScopedResource {

    private final ReviewReader reader;
    private final ReviewWriter writer;

    public ReviewsResource(ReviewReader reader, ReviewWriter writer) {
        this.reader = reader;
        this.writer = writer;
    }

    /** The two GETs read; the three legacy writes write. */
    @Override
    public Scope requiredScope(String httpMethod) {
        return HttpMethod.GET.equals(httpMethod) || HttpMethod.HEAD.equals(httpMethod) ? Scope.READ : Scope.WRITE;
    }

    @Override
    public Response listReviews(Integer productId, Integer page, Integer count, String sort) {
        ListParams params = ListParams.of(productId, page, count, sort);
        // Encoded JSON, written as is by EncodedJsonWriter.
        return Response.ok(reader.list(params.productId(), params.order(), params.page(), params.count()),
                MediaType.APPLICATION_JSON_TYPE).build();
    }

    @Override
    public Response getReviewMeta(Integer productId) {
        return Response.ok(reader.meta(requireProductId(productId)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @Override
    public Response addReview(NewReview newReview, String idempotencyKey) {
        String key = IdempotentRequest.validKey(idempotencyKey);
        ReviewSubmission review = ReviewSubmission.from(newReview);
        return answer(writer.add(review, IdempotentRequest.of(key, "POST", "/reviews", review.canonicalJson())));
    }

    @Override
    public Response markReviewHelpful(Integer reviewId, String idempotencyKey) {
        String key = IdempotentRequest.validKey(idempotencyKey);
        int id = requireReviewId(reviewId);
        return answer(writer.markHelpful(id, IdempotentRequest.of(key, "PUT", "/reviews/" + id + "/helpful", "")));
    }

    @Override
    public Response reportReview(Integer reviewId, String idempotencyKey) {
        String key = IdempotentRequest.validKey(idempotencyKey);
        int id = requireReviewId(reviewId);
        return answer(writer.report(id, Caller.current().name(),
                IdempotentRequest.of(key, "PUT", "/reviews/" + id + "/report", "")));
    }

    /** A write's answer, the first time or replayed for its Idempotency-Key. */
    private static Response answer(WriteOutcome outcome) {
        Response.ResponseBuilder response = Response.status(outcome.status());
        if (outcome.body() != null) {
            response.type("text/plain; charset=utf-8").entity(outcome.body());
        }
        if (outcome.location() != null) {
            response.header("Location", outcome.location());
        }
        if (outcome.status() == 201) {
            response.header("Review-Id", outcome.reviewId());
        }
        if (outcome.replayed()) {
            response.header(IdempotentRequest.REPLAYED_HEADER, "true");
        }
        return response.build();
    }

    /** A valid list request; the resource's parameter rules, shared with {@link PlainReadFilter}. */
    record ListParams(int productId, SortOrder order, int page, int count) {

        static ListParams of(Integer productId, Integer page, Integer count, String sort) {
            int product = requireProductId(productId);
            int p = zeroMeansDefault("page", page, DEFAULT_PAGE, MAX_PAGE, PAGE_MESSAGE);
            int c = zeroMeansDefault("count", count, DEFAULT_COUNT, MAX_COUNT, COUNT_MESSAGE);
            requireOffsetInRange(p, c);
            return new ListParams(product, SortOrder.parse(sort), p, c);
        }
    }

    static int requireProductId(Integer productId) {
        if (productId == null || productId < 1) {
            throw new InvalidProductIdException();
        }
        return productId;
    }

    /** The first result's offset, (page - 1) * count, must be an int (the legacy answer's {@code page} field). */
    static void requireOffsetInRange(int page, int count) {
        if ((long) (page - 1) * count > Integer.MAX_VALUE) {
            throw ApiException.badRequest("page", "page is beyond the last possible review for count " + count);
        }
    }

    static int requireReviewId(Integer reviewId) {
        if (reviewId == null || reviewId < 1) {
            throw ApiException.badRequest("review_id", REVIEW_ID_MESSAGE);
        }
        return reviewId;
    }

    /**
     * 1..max, where 0 means the default: front ends rely on the legacy handler's {@code count || 5} (one asks
     * {@code count=0} after switching products). Anything else out of range stays a 400 naming the parameter.
     */
    static int zeroMeansDefault(String name, Integer value, int defaultValue, int max, String message) {
        if (value == null || value == 0) {
            return defaultValue;
        }
        if (value < 0 || value > max) {
            throw ApiException.badRequest(name, message);
        }
        return value;
    }
}
