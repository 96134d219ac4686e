package com.atelier.reviews.server.errors;

/** A client error with its HTTP status and the request field at fault; rendered as the contract's ErrorMessage. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    public ApiException(int status, String field, String message) {
        super(message, null, false, false); // expected outcome: no stack trace to fill
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, field, message);
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(422, field, message);
    }

    public static ApiException notFound(String field, String message) {
        return new ApiException(404, field, message);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
