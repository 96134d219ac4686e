package com.atelier.reviews.client;

/**
 * Orders of {@code GET /reviews}. The contract keeps {@code sort} a plain string on the wire (the server also takes
 * legacy spellings), so the typed choice lives here rather than in the generated API.
 */
public enum ReviewSort {
    /** Date, newest first. */
    NEWEST("newest"),
    /** Helpfulness, most helpful first; then newest first. */
    HELPFUL("helpful"),
    /** The server's default blend of helpfulness and age. */
    RELEVANT("relevant");

    private final String wireValue;

    ReviewSort(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value sent as the {@code sort} query parameter. */
    public String wireValue() {
        return wireValue;
    }
}
