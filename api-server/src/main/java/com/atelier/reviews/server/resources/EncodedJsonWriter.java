package com.atelier.reviews.server.resources;

import com.atelier.reviews.server.cache.EncodedJson;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Writes an already encoded answer as is: no Jackson on the way out, and its length known up front (Jersey would
 * otherwise buffer to learn it, or send larger answers chunked). The Content-Type is the response's own.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public final class EncodedJsonWriter implements MessageBodyWriter<EncodedJson> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == EncodedJson.class;
    }

    @Override
    public void writeTo(EncodedJson json, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream)
            throws IOException, WebApplicationException {
        httpHeaders.putSingle(HttpHeaders.CONTENT_LENGTH, json.length());
        json.writeTo(entityStream);
    }
}
