package io.durablestreams.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console's files and how to answer a request for them, with no HTTP library types, so
 * every binding (Netty, servlet) mounts the same thing: it hands over method, raw path and
 * {@code If-None-Match}, and writes the {@link Reply}.
 *
 * <p>Only the files named in {@link #FILES}, loaded from the classpath once, are ever served: a
 * path is looked up as a string, never resolved against a directory, so no path (dot segments,
 * encoded slashes, anything) can reach another resource. Every reply carries a strict
 * Content-Security-Policy (scripts, styles and connections from this origin only; no inline code),
 * which the console is written to need.
 */
public final class ConsoleAssets {
    /** Where the console is mounted. */
    public static final String ROOT = "/console/";
    /** The bundled files, relative to {@link #ROOT}; nothing else is served. */
    static final List<String> FILES = List.of("index.html", "style.css", "favicon.svg", "app.js", "api.js", "sse.js",
            "ui.js", "streams.js", "stream.js", "subscriptions.js", "server.js", "charts.js", "metrics.js");
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");

    private final Map<String, Asset> assets;

    private record Asset(byte[] body, String contentType, String etag) {}

    /**
     * An answer to write as is.
     *
     * @param headers header names in lower case, {@code content-length} included on a {@code 200}
     * @param body    empty for {@code HEAD}, {@code 304} and redirects
     */
    public record Reply(int status, Map<String, String> headers, byte[] body) {}

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    /** The files bundled in this jar; fails at startup, not on a request, if one is missing. */
    public static ConsoleAssets bundled() {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String file : FILES) {
            try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("console file " + file + " is missing from the jar");
                }
                byte[] body = in.readAllBytes();
                String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
                assets.put(ROOT + file, new Asset(body, type, etag(body)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read console file " + file, e);
            }
        }
        assets.put(ROOT, assets.get(ROOT + "index.html"));
        return new ConsoleAssets(Map.copyOf(assets));
    }

    /** Whether {@code rawPath} (the URL path, not decoded) is the console's to answer. */
    public static boolean handles(String rawPath) {
        return rawPath.equals("/console") || rawPath.startsWith(ROOT);
    }

    /**
     * The answer to a request the console {@link #handles}.
     *
     * @param method      the HTTP method, upper case
     * @param rawPath     the URL path without the query, not decoded
     * @param ifNoneMatch the request's {@code If-None-Match}, or null
     */
    public Reply serve(String method, String rawPath, String ifNoneMatch) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Reply r = problem(405, "method-not-allowed", method + " is not allowed on the console");
            r.headers().put("allow", "GET, HEAD");
            return r;
        }
        if (rawPath.equals("/console")) {
            Map<String, String> headers = secured();
            headers.put("location", ROOT);
            return new Reply(308, headers, new byte[0]);
        }
        Asset asset = assets.get(rawPath);
        if (asset == null) {
            return problem(404, "not-found", "the console has no file " + clip(rawPath));
        }
        Map<String, String> headers = secured();
        headers.put("etag", asset.etag);
        // revalidated on every load (a 304 costs nothing), so a new server version is never mixed with old modules
        headers.put("cache-control", "no-cache");
        if (matches(ifNoneMatch, asset.etag)) {
            return new Reply(304, headers, new byte[0]);
        }
        headers.put("content-type", asset.contentType);
        headers.put("content-length", Integer.toString(asset.body.length));
        return new Reply(200, headers, method.equals("HEAD") ? new byte[0] : asset.body);
    }

    /** RFC 9110 §13.1.2: any listed tag equal to ours (weak comparison), or {@code *}. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** Headers of every console reply. */
    private static Map<String, String> secured() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("content-security-policy", CONTENT_SECURITY_POLICY);
        h.put("x-content-type-options", "nosniff");
        h.put("referrer-policy", "no-referrer");
        h.put("x-frame-options", "DENY");
        h.put("cross-origin-opener-policy", "same-origin");
        return h;
    }

    private static Reply problem(int status, String type, String detail) {
        Map<String, String> headers = secured();
        headers.put("content-type", "application/problem+json");
        headers.put("cache-control", "no-store");
        String body = "{\"type\":\"" + type + "\",\"title\":\"" + (status == 404 ? "Not found" : "Method not allowed")
                + "\",\"status\":" + status + ",\"detail\":\"" + json(detail) + "\"}";
        return new Reply(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String clip(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    /** Escapes a string for a JSON string literal. */
    private static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
