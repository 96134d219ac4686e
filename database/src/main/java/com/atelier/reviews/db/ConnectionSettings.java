package com.atelier.reviews.db;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Where PostgreSQL is, as a JDBC URL plus credentials. Read from {@code DATABASE_URL}, {@code DATABASE_USER} and
 * {@code DATABASE_PASSWORD}; the URL may be JDBC ({@code jdbc:postgresql://h:5432/db}) or libpq style
 * ({@code postgres://user:pw@h:5432/db}), since operators paste either.
 */
public record ConnectionSettings(String jdbcUrl, String user, String password) {

    public ConnectionSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    }

    /** The settings in the environment, or null when DATABASE_URL is unset. */
    public static ConnectionSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static ConnectionSettings fromEnvironment(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        if (url == null || url.isBlank()) {
            return null;
        }
        return parse(url.trim(), env.getOrDefault("DATABASE_USER", System.getProperty("user.name")),
                env.getOrDefault("DATABASE_PASSWORD", ""));
    }

    /** Accepts a JDBC URL or a libpq URL; credentials inside a libpq URL win over the ones given. */
    public static ConnectionSettings parse(String url, String user, String password) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new ConnectionSettings(url, user, password);
        }
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI uri = URI.create(url);
            String userInfo = uri.getUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                user = colon < 0 ? userInfo : userInfo.substring(0, colon);
                password = colon < 0 ? password : userInfo.substring(colon + 1);
            }
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new ConnectionSettings("jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query,
                    user, password);
        }
        throw new IllegalArgumentException("DATABASE_URL must start with jdbc:postgresql:, postgres:// or postgresql://");
    }

    /** The same server, another database. */
    public ConnectionSettings withDatabase(String database) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String authority = uri.getRawAuthority();
        return new ConnectionSettings("jdbc:postgresql://" + authority + "/" + database + query, user, password);
    }

    /**
     * One settings per host of a multi-host URL ({@code jdbc:postgresql://h1:5432,h2:5433/db?...}), each naming that
     * host only, with the same database and parameters; a one-host URL gives itself.
     */
    public java.util.List<ConnectionSettings> eachHost() {
        String rest = jdbcUrl.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String tail = slash < 0 ? "/" : rest.substring(slash);
        return java.util.Arrays.stream(hosts.split(","))
                .map(host -> new ConnectionSettings("jdbc:postgresql://" + host + tail, user, password))
                .toList();
    }

    /** {@code host:port} of a one-host URL (a name for metrics and health checks). */
    public String hostAndPort() {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /** The database name in the URL. */
    public String databaseName() {
        String path = URI.create(jdbcUrl.substring("jdbc:".length())).getPath();
        return path == null || path.length() <= 1 ? "postgres" : path.substring(1);
    }

    /** libpq's environment (PGHOST, PGPORT, PGDATABASE, PGUSER) for the same server and database; no password. */
    public Map<String, String> libpqEnvironment() {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return Map.of("PGHOST", uri.getHost(), "PGPORT", Integer.toString(uri.getPort() < 0 ? 5432 : uri.getPort()),
                "PGDATABASE", databaseName(), "PGUSER", user == null ? "postgres" : user);
    }

    /**
     * For shell scripts that run psql or pgbench (scripts/lib.sh {@code export_libpq_env}): prints
     * {@link #shellExports} for DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD in the environment, so the scripts
     * read the URL exactly as the service does.
     */
    public static void main(String[] args) {
        ConnectionSettings settings = fromEnvironment();
        if (settings == null) {
            System.err.println("DATABASE_URL is not set");
            System.exit(2);
        }
        System.out.print(settings.shellExports());
    }

    /**
     * {@code export PGHOST='...'} lines of {@link #libpqEnvironment}, and PGPASSWORD when there is a password (given,
     * or inside a libpq URL), single-quoted for a POSIX shell's {@code eval}.
     */
    public String shellExports() {
        Map<String, String> env = new java.util.TreeMap<>(libpqEnvironment());
        if (password != null && !password.isEmpty()) {
            env.put("PGPASSWORD", password);
        }
        StringBuilder out = new StringBuilder();
        env.forEach((name, value) ->
                out.append("export ").append(name).append("='").append(value.replace("'", "'\\''")).append("'\n"));
        return out.toString();
    }

    @Override
    public String toString() {
        return jdbcUrl + " as " + user; // never the password
    }
}
