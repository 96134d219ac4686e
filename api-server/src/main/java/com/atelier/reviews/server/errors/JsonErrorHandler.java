package com.atelier.reviews.server.errors;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.regex.Pattern;

/**
 * Errors Jetty answers itself, before or around Jersey (a URI that does not parse, headers too large, a method the
 * servlet filters refuse, a servlet failure), in the contract's ErrorMessage shape instead of Jetty's HTML page.
 * The message is the status's text plus Jetty's reason when it is a short plain phrase (never an exception text).
 */
public final class JsonErrorHandler extends ErrorHandler {

    /** "Ambiguous URI path separator", "Invalid content length"...: words only, so no class name or trace leaks. */
    private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z][A-Za-z0-9 ,'-]{0,79}");

    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

    private final ObjectMapper mapper;
    /** Access-Control-Allow-Origin for an error the CORS filter did not see (null: none). */
    private final String allowOrigin;

    public JsonErrorHandler(ObjectMapper mapper, String allowOrigin) {
        this.mapper = mapper;
        this.allowOrigin = allowOrigin;
        setShowStacks(false);
        setShowServlet(false);
    }

    /** Jetty writes bodies only for GET, POST and HEAD by default; a PUT or TRACE error deserves one too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
                                              HttpServletResponse response, int code, String message)
            throws IOException {
        baseRequest.setHandled(true);
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        if (allowOrigin != null && !response.containsHeader(ALLOW_ORIGIN)) {
            response.setHeader(ALLOW_ORIGIN, allowOrigin);
        }
        ErrorResponses.write(response, mapper, code, null, message(code, message));
    }

    /** Errors found while parsing the request (bad URI, header too large...): no servlet request exists yet. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
        if (allowOrigin != null) {
            fields.put(ALLOW_ORIGIN, allowOrigin);
        }
        return ByteBuffer.wrap(ErrorResponses.bytes(mapper, status, null, message(status, reason)));
    }

    static String message(int status, String reason) {
        String text = HttpStatus.getMessage(status);
        String phrase = text == null ? "error" : text.toLowerCase();
        if (status >= 500) {
            return phrase; // whatever failed inside is in the log, not in the answer
        }
        if (reason != null && PLAIN_REASON.matcher(reason).matches() && !reason.equalsIgnoreCase(text)) {
            return phrase + ": " + reason;
        }
        return phrase;
    }
}
