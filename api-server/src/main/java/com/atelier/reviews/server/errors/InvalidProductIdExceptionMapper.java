package com.atelier.reviews.server.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

public class InvalidProductIdExceptionMapper implements ExceptionMapper<InvalidProductIdException> {
    @Override
    public Response toResponse(InvalidProductIdException e) {
        return ErrorResponses.invalidProductId();
    }
}
