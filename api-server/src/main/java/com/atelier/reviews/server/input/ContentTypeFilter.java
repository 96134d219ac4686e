package com.atelier.reviews.server.input;

import com.atelier.reviews.server.errors.ErrorResponses;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;

/**
 * A Content-Type that is not a media type at all ({@code garbage}, {@code application/}) makes Jersey's servlet
 * answer a bare 400 before any resource, filter or mapper runs. It is a 415 naming the header instead, like any
 * other type than application/json.
 */
public final class ContentTypeFilter implements Filter {

    private final ObjectMapper mapper;

    public ContentTypeFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        String type = ((HttpServletRequest) req).getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && !isMediaType(type)) {
            ErrorResponses.write((HttpServletResponse) res, mapper, 415, HttpHeaders.CONTENT_TYPE,
                    "Content-Type is not a media type; send application/json");
            return;
        }
        chain.doFilter(req, res);
    }

    private static boolean isMediaType(String type) {
        try {
            MediaType.valueOf(type); // Jersey's own parser, so exactly what it would have refused
            return true;
        } catch (IllegalArgumentException notAMediaType) {
            return false;
        }
    }
}
