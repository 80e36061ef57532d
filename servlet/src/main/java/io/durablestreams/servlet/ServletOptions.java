package io.durablestreams.servlet;

import io.durablestreams.server.auth.GrantResolver;
import io.durablestreams.server.common.ServerMetrics;
import jakarta.servlet.http.HttpServletRequest;

/**
 * What the host application decides for the servlet; the engine (and with it the store) is built
 * by the host and given to the servlet separately.
 *
 * @param allowedOrigin  {@code Access-Control-Allow-Origin} on every response
 * @param publicBaseUrl  {@code scheme://host[:port]} clients use, for {@code Location} headers; null takes it
 *                       from each request's scheme and {@code Host}
 * @param grants         who may read and write which streams; null serves every request (authorization left
 *                       to the application, e.g. a filter in front of the servlet)
 * @param metrics        the meters to record into; null records none
 */
public record ServletOptions(String allowedOrigin, String publicBaseUrl, GrantResolver<HttpServletRequest> grants,
                             ServerMetrics metrics) {
    public ServletOptions {
        if (allowedOrigin == null || allowedOrigin.isBlank()) {
            throw new IllegalArgumentException("the allowed origin must not be blank (use * for any)");
        }
    }

    /** Any origin, URLs from the request, no authorization, no metrics. */
    public static ServletOptions defaults() {
        return new ServletOptions("*", null, null, null);
    }

    public ServletOptions withAllowedOrigin(String origin) {
        return new ServletOptions(origin, publicBaseUrl, grants, metrics);
    }

    public ServletOptions withPublicBaseUrl(String url) {
        return new ServletOptions(allowedOrigin, url == null ? null : url.replaceAll("/+$", ""), grants, metrics);
    }

    public ServletOptions withGrants(GrantResolver<HttpServletRequest> resolver) {
        return new ServletOptions(allowedOrigin, publicBaseUrl, resolver, metrics);
    }

    public ServletOptions withMetrics(ServerMetrics m) {
        return new ServletOptions(allowedOrigin, publicBaseUrl, grants, m);
    }
}
