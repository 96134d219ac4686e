package com.atelier.reviews.server.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a key may do: {@code read} the two GETs, {@code write} the three legacy writes, {@code moderate} the queue. */
public enum Scope {
    READ, WRITE, MODERATE;

    /** The name used on the wire, in the database and on the command line. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope parse(String text) {
        for (Scope s : values()) {
            if (s.wire().equals(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + text.trim() + "'; scopes are read, write, moderate");
    }

    /** {@code read,write} (the command line) or the database's array. */
    public static Set<Scope> parseAll(String... texts) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String text : texts) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    scopes.add(parse(part));
                }
            }
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("give at least one scope: read, write, moderate");
        }
        return scopes;
    }

    public static String[] toWire(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wire).toArray(String[]::new);
    }

    public static String describe(Set<Scope> scopes) {
        return scopes.stream().map(Scope::wire).collect(Collectors.joining(","));
    }
}
