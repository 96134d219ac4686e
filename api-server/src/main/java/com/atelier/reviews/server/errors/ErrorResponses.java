package com.atelier.reviews.server.errors;

import com.atelier.reviews.contract.model.ErrorMessage;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds the error answers of the contract, so every mapper renders them the same way. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response json(int status, String field, String message) {
        ErrorMessage error = new ErrorMessage().code(status).message(message).field(field);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }

    public static Response invalidProductId() {
        return Response.status(422).type("text/plain; charset=utf-8").entity(InvalidProductIdException.LEGACY_TEXT).build();
    }
}
