package com.atelier.reviews.server.input;

import com.atelier.reviews.server.errors.ErrorResponses;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** Turns a body Jackson could not read into a 400 (not JSON) or 422 (JSON of the wrong shape) naming the field. */
public class JsonBodyExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            // Jackson's text names its own classes; the limits that matter are ours (JsonBodyGuard) anyway.
            return ErrorResponses.json(400, null, "request body exceeds a JSON size or depth limit");
        }
        if (e instanceof JsonParseException) {
            return ErrorResponses.json(400, null, "request body is not valid JSON" + where(e));
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return ErrorResponses.json(422, JsonPath.of(u), "unknown field " + u.getPropertyName());
        }
        if (e instanceof MismatchedInputException m && m.getPath().isEmpty()) {
            return ErrorResponses.json(422, null, "request body must be a JSON object");
        }
        if (e instanceof InvalidFormatException f) {
            return ErrorResponses.json(422, JsonPath.of(f),
                    JsonPath.of(f) + " has the wrong type: " + describe(f.getTargetType()));
        }
        if (e instanceof MismatchedInputException m && isMissingRequired(m)) {
            return ErrorResponses.json(422, JsonPath.of(m), JsonPath.of(m) + " is required");
        }
        if (e instanceof MismatchedInputException m) {
            return ErrorResponses.json(422, JsonPath.of(m),
                    JsonPath.of(m) + " has the wrong type: " + describe(m.getTargetType()));
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return ErrorResponses.json(422, JsonPath.of(m), JsonPath.of(m) + " is invalid");
        }
        return ErrorResponses.json(400, null, "request body could not be read");
    }

    /** The generated model binds required fields through its constructor; Jackson says so only in words. */
    private static boolean isMissingRequired(MismatchedInputException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Missing required creator property");
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "unexpected value";
        }
        if (type == Integer.class || type == int.class || type == Long.class) {
            return "expected an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "expected true or false";
        }
        if (type == String.class) {
            return "expected a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "expected an array";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "expected an object";
        }
        return "expected " + (type.isArray() ? "an array" : "an object");
    }
}
