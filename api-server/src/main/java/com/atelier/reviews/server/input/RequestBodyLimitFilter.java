package com.atelier.reviews.server.input;

import com.atelier.reviews.server.errors.ErrorResponses;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static com.atelier.reviews.server.input.InputLimits.MAX_BODY_BYTES;

/**
 * Caps every request body at {@link InputLimits#MAX_BODY_BYTES}, counting the bytes actually received, so a chunked
 * body without Content-Length is held to the same limit as a declared one. A body within the limit is read here and
 * handed on from memory (a review is about 2 KiB); a larger one answers 413 before Jersey or Jackson see a byte.
 */
public final class RequestBodyLimitFilter implements Filter {

    /**
     * Past the limit, up to this many bytes are still read and dropped, so the client (which is busy sending) gets
     * the 413 instead of a reset connection; beyond it the 413 is sent and the connection closed.
     */
    static final long DRAIN_BYTES = 2L * 1024 * 1024;

    private final ObjectMapper mapper;

    public RequestBodyLimitFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        long declared = request.getContentLengthLong();
        boolean chunked = request.getHeader("Transfer-Encoding") != null;
        if (declared <= 0 && !chunked) {
            chain.doFilter(req, res); // no body: nothing to count
            return;
        }
        if (declared > MAX_BODY_BYTES) {
            if (declared <= DRAIN_BYTES) {
                drain(request.getInputStream());
            }
            tooLarge(response);
            return;
        }
        InputStream in = request.getInputStream();
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            drain(in);
            tooLarge(response);
            return;
        }
        chain.doFilter(new BufferedBodyRequest(request, body), res);
    }

    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = DRAIN_BYTES;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) != -1) {
            left -= n;
        }
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close"); // whatever is left of the body is not read
        ErrorResponses.write(response, mapper, 413, null,
                "request body is larger than " + MAX_BODY_BYTES + " bytes");
    }

    /** The request with its body already read into memory. */
    private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body is already in memory; read it synchronously");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            // JSON is UTF-8 (RFC 8259); a declared charset is not trusted here.
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
