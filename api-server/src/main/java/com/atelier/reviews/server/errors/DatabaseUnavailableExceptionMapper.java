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

    /**
     * Failures a retry can cure, nothing having been written: no connection from the pool in time, refused or reset
     * connections (SQLSTATE class 08), a server shutting down or restarting (57P), a statement cancelled by
     * statement_timeout (57014), a lock not granted (55P03), server resources exhausted such as too many connections
     * (class 53), a serialization failure (40001) or deadlock victim (40P01).
     */
    public static boolean isUnavailable(Throwable e) {
        if (e instanceof ConnectionException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && isRetryable(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRetryable(String state) {
        return state.startsWith("08") || state.startsWith("57P") || state.equals("57014") || state.equals("55P03")
                || state.startsWith("53") || state.equals("40001") || state.equals("40P01");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.toString();
    }
}
