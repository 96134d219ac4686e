package com.atelier.reviews.server.resources;

import com.atelier.reviews.contract.api.ModerationApi;
import com.atelier.reviews.contract.model.ReviewResponseUpdate;
import com.atelier.reviews.server.auth.Caller;
import com.atelier.reviews.server.auth.Scope;
import com.atelier.reviews.server.auth.ScopedResource;
import com.atelier.reviews.server.core.ModerationQueue;
import com.atelier.reviews.server.core.ReviewWriter;
import com.atelier.reviews.server.errors.ApiException;
import com.codahale.metrics.annotation.ExceptionMetered;
import com.codahale.metrics.annotation.ResponseMetered;
import com.codahale.metrics.annotation.Timed;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import static com.atelier.reviews.server.input.InputLimits.COUNT_MESSAGE;
import static com.atelier.reviews.server.input.InputLimits.DEFAULT_COUNT;
import static com.atelier.reviews.server.input.InputLimits.DEFAULT_PAGE;
import static com.atelier.reviews.server.input.InputLimits.MAX_COUNT;
import static com.atelier.reviews.server.input.InputLimits.MAX_PAGE;
import static com.atelier.reviews.server.input.InputLimits.MAX_RESPONSE;
import static com.atelier.reviews.server.input.InputLimits.PAGE_MESSAGE;

/** The moderation queue and merchant responses (openapi.yaml, tag moderation): parse, validate, delegate. */
@Timed
@ResponseMetered
@ExceptionMetered
public class ModerationResource implements ModerationApi, ScopedResource {

    static final String RESPONSE_MESSAGE = "response must be null (to clear it) or 1 to " + MAX_RESPONSE
            + " characters, not only whitespace";

    private final ModerationQueue queue;
    private final ReviewWriter writer;

    public ModerationResource(ModerationQueue queue, ReviewWriter writer) {
        this.queue = queue;
        this.writer = writer;
    }

    @Override
    public Scope requiredScope(String httpMethod) {
        return Scope.MODERATE;
    }

    @Override
    public Response listReportedReviews(Integer page, Integer count) {
        int p = ReviewsResource.zeroMeansDefault("page", page, DEFAULT_PAGE, MAX_PAGE, PAGE_MESSAGE);
        int c = ReviewsResource.zeroMeansDefault("count", count, DEFAULT_COUNT, MAX_COUNT, COUNT_MESSAGE);
        ReviewsResource.requireOffsetInRange(p, c);
        return Response.ok(queue.page(p, c), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @Override
    public Response restoreReview(Integer reviewId) {
        writer.restore(ReviewsResource.requireReviewId(reviewId), moderator());
        return Response.noContent().build();
    }

    @Override
    public Response removeReview(Integer reviewId) {
        writer.remove(ReviewsResource.requireReviewId(reviewId), moderator());
        return Response.noContent().build();
    }

    @Override
    public Response setReviewResponse(Integer reviewId, ReviewResponseUpdate update) {
        int id = ReviewsResource.requireReviewId(reviewId);
        if (update == null) {
            throw ApiException.badRequest(null, "request body is empty; send {\"response\": \"...\"} or null");
        }
        String response = update.getResponse();
        if (response != null
                && (response.isBlank() || response.codePointCount(0, response.length()) > MAX_RESPONSE)) {
            throw ApiException.invalid("response", RESPONSE_MESSAGE);
        }
        writer.setResponse(id, response, moderator());
        return Response.noContent().build();
    }

    private String moderator() {
        return Caller.current().name();
    }
}
