package com.atelier.reviews.server.errors;

/** The legacy API's one documented error: 422 with the exact text {@link #LEGACY_TEXT}. */
public class InvalidProductIdException extends RuntimeException {

    public static final String LEGACY_TEXT = "Error: invalid product_id provided";

    public InvalidProductIdException() {
        super(LEGACY_TEXT, null, false, false);
    }
}
