package com.atelier.reviews.server.errors;

import com.atelier.reviews.contract.model.ErrorMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;

/** Builds the error answers of the contract, so every mapper renders them the same way. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response json(int status, String field, String message) {
        return jsonBuilder(status, field, message).build();
    }

    /** The same, to add headers to (WWW-Authenticate, Retry-After). */
    public static Response.ResponseBuilder jsonBuilder(int status, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error(status, field, message));
    }

    public static Response invalidProductId() {
        return Response.status(422).type("text/plain; charset=utf-8").entity(InvalidProductIdException.LEGACY_TEXT).build();
    }

    /** The same ErrorMessage, for the servlet filters and Jetty's error handler that answer before Jersey runs. */
    public static void write(HttpServletResponse response, ObjectMapper mapper, int status, String field, String message)
            throws IOException {
        writeJson(response, status, bytes(mapper, status, field, message));
    }

    /** An answer of the exception mappers (an ErrorMessage entity and its headers), where Jersey is not running. */
    public static void write(HttpServletResponse response, ObjectMapper mapper, Response answer) throws IOException {
        answer.getStringHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        writeJson(response, answer.getStatus(), mapper.writeValueAsBytes(answer.getEntity()));
    }

    private static void writeJson(HttpServletResponse response, int status, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static byte[] bytes(ObjectMapper mapper, int status, String field, String message) {
        try {
            return mapper.writeValueAsBytes(error(status, field, message));
        } catch (IOException e) {
            throw new IllegalStateException("an ErrorMessage is always serializable", e);
        }
    }

    private static ErrorMessage error(int status, String field, String message) {
        return new ErrorMessage().code(status).message(message).field(field);
    }
}
