package io.durablestreams.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL connection URI as libpq and psql take it ({@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?params]},
 * also {@code postgres://}), turned into what the JDBC driver takes: a {@code jdbc:postgresql://} URL without
 * credentials, and the user and password apart, so they never appear in a URL the driver may log.
 */
public record PostgresUrl(String jdbcUrl, String user, String password) {

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a message fit for a person. */
    public static PostgresUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL URL is empty");
        }
        String value = text.trim();
        if (value.startsWith("jdbc:")) {
            value = value.substring("jdbc:".length());
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("PostgreSQL URL is not a URI (postgresql://USER@HOST:PORT/DB): " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException("PostgreSQL URL must start with postgresql:// (got " + (scheme == null ? "no scheme" : scheme + "://") + ")");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("PostgreSQL URL names no host (postgresql://USER@HOST:PORT/DB)");
        }
        String path = uri.getRawPath();
        if (path == null || path.length() <= 1) {
            throw new IllegalArgumentException("PostgreSQL URL names no database (postgresql://USER@HOST:PORT/DB)");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String host = uri.getHost();
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host);
        if (uri.getPort() >= 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(path);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new PostgresUrl(jdbc.toString(), user, password);
    }

    /** The same URL with another password (from a password file), keeping the rest. */
    public PostgresUrl withPassword(String newPassword) {
        return new PostgresUrl(jdbcUrl, user, newPassword);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        // never print the password
        return jdbcUrl + (user == null ? "" : " (user " + user + ")");
    }
}
