package com.atelier.reviews.server.input;

import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The JSON path every error names a body field by: {@code rating}, {@code photos[2]}, {@code characteristics.14}.
 * One spelling, whether the field is found by the token guard, by a failed binding or by the review's own rules.
 */
public final class JsonPath {

    private JsonPath() {
    }

    /** The member {@code name} of the object at {@code parent} ({@code ""} for the root). */
    public static String field(String parent, String name) {
        return (parent.isEmpty() ? "" : parent + ".") + name;
    }

    /** The element {@code index} of the array at {@code parent}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The path of a parser's current token. */
    static String of(JsonStreamContext context) {
        Deque<JsonStreamContext> fromRoot = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            fromRoot.push(c);
        }
        String path = "";
        for (JsonStreamContext c : fromRoot) {
            if (c.inArray()) {
                path = index(path, c.getCurrentIndex());
            } else if (c.getCurrentName() != null) { // an object before its first member
                path = field(path, c.getCurrentName());
            }
        }
        return path;
    }

    /** The path of the field a binding failed at. */
    static String of(JsonMappingException e) {
        String path = "";
        for (JsonMappingException.Reference ref : e.getPath()) {
            path = ref.getIndex() >= 0 ? index(path, ref.getIndex()) : field(path, ref.getFieldName());
        }
        return path;
    }
}
