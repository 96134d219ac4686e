package com.atelier.reviews.server.auth;

/** A resource whose operations need a key ({@link AuthFilter}); resources that do not implement it need none. */
public interface ScopedResource {

    /** The scope an operation of this resource needs, by its HTTP method. */
    Scope requiredScope(String httpMethod);
}
