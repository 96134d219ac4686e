package com.atelier.reviews.server.input;

/**
 * Every bound the contract (openapi.yaml) puts on what a request may send, defined here once: the filters and guards
 * of this package, the resources and {@code ReviewSubmission} enforce them and name them in their messages.
 */
public final class InputLimits {

    /** The contract's TooLarge: a maximal valid review is well under 16 KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The contract's deepest body is 2 levels (a review holding photos or characteristics). */
    public static final int MAX_JSON_DEPTH = 32;

    /** The paged lists' {@code page} and {@code count}; Jersey applies the defaults to an absent or empty value. */
    public static final int MAX_PAGE = 1_000_000;
    public static final int MAX_COUNT = 1_000_000;
    public static final int DEFAULT_PAGE = 1;
    public static final int DEFAULT_COUNT = 5;
    public static final String PAGE_MESSAGE = "page must be an integer between 1 and " + MAX_PAGE
            + " (0 or empty means " + DEFAULT_PAGE + ")";
    public static final String COUNT_MESSAGE = "count must be an integer between 1 and " + MAX_COUNT
            + " (0 or empty means " + DEFAULT_COUNT + ")";
    public static final String REVIEW_ID_MESSAGE = "review_id must be a positive integer";

    /** A review's text fields, in characters as people count them (code points). */
    public static final int MAX_SUMMARY = 60;
    public static final int MIN_BODY = 50;
    public static final int MAX_BODY = 1000;
    public static final int MAX_NAME = 60;
    public static final int MAX_EMAIL = 60;
    public static final int MAX_PHOTOS = 5;
    /** A photo URL, in UTF-16 chars (a valid URL is ASCII). */
    public static final int MAX_URL = 2048;
    /** A merchant's response to a review, in code points. */
    public static final int MAX_RESPONSE = 1000;
    /** The Idempotency-Key header, in characters (it must be printable ASCII). */
    public static final int MAX_IDEMPOTENCY_KEY = 255;

    private InputLimits() {
    }
}
