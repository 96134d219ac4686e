package com.atelier.reviews.server.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Jersey's own 4xx (unknown path, wrong method, unsupported media type...) in the contract's ErrorMessage shape. */
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String message = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "only application/json can be produced";
            case 413 -> "request body is too large";
            case 415 -> "request body must be application/json";
            default -> original.getStatusInfo().getReasonPhrase();
        };
        String header = switch (status) { // the request header at fault, when one is
            case 406 -> "Accept";
            case 415 -> "Content-Type";
            default -> null;
        };
        Response.ResponseBuilder builder = Response.fromResponse(ErrorResponses.json(status, header, message));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.build();
    }
}
