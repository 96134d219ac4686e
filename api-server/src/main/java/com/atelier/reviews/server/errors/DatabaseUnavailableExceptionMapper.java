package com.atelier.reviews.server.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The database is down, unreachable or the pool is exhausted: answer 503 + Retry-After at once, so the client (or
 * NGINX) retries elsewhere or later instead of waiting. Other database failures stay 500s, logged with their cause.
 */
public class DatabaseUnavailableExceptionMapper implements ExceptionMapper<JdbiException> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableExceptionMapper.class);

    private final int retryAfterSeconds;

    public DatabaseUnavailableExceptionMapper(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public Response toResponse(JdbiException e) {
        if (isUnavailable(e)) {
            LOG.warn("database unavailable: {}", rootMessage(e));
            return Response.fromResponse(ErrorResponses.json(503, null, "the database is unavailable, retry later"))
                    .header("Retry-After", retryAfterSeconds).build();
        }
        LOG.error("database error", e);
        return ErrorResponses.json(500, null, "internal error");
    }

    /** Connection failures: no connection from the pool in time, refused, reset, or SQLSTATE class 08 / 57P. */
    static boolean isUnavailable(Throwable e) {
        if (e instanceof ConnectionException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
