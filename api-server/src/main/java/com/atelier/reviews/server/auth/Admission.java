package com.atelier.reviews.server.auth;

/**
 * {@link AccessGate}'s decision for one request: who the caller is, the key it presented (null for none, or for the
 * warm-up), and, when refused, the answer to send instead.
 *
 * @param scope   what the decision was made for
 * @param refusal null when the request may go ahead
 */
public record Admission(Scope scope, Caller caller, String keyName, Refusal refusal) {

    /** The request attribute that hands a decision made before Jersey to {@link AuthFilter}. */
    public static final String ATTRIBUTE = Admission.class.getName();

    public boolean admitted() {
        return refusal == null;
    }

    /** The status, message and challenge header of a refused request (401, 403 or 429). */
    public record Refusal(int status, String message, String header, String headerValue) {
    }
}
