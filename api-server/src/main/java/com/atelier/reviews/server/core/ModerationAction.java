package com.atelier.reviews.server.core;

import java.util.Locale;

/** The moderation actions, as moderation_audit records them (V7 checks the same names). */
public enum ModerationAction {
    RESTORE, REMOVE, SET_RESPONSE, CLEAR_RESPONSE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
