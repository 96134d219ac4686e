package com.atelier.reviews.server.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.glassfish.jersey.server.ParamException;

/**
 * A query or path parameter that is not an integer fails in Jersey before the resource runs. Jersey would answer 404;
 * the contract answers the legacy 422 text for product_id and a 400 naming the parameter otherwise.
 */
public class ParamExceptionMapper implements ExceptionMapper<ParamException> {
    @Override
    public Response toResponse(ParamException e) {
        String name = e.getParameterName();
        if ("product_id".equals(name)) {
            return ErrorResponses.invalidProductId();
        }
        return ErrorResponses.json(400, name, name + " must be an integer");
    }
}
