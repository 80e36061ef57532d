package io.durablestreams.server;

import io.durablestreams.protocol.ProtocolHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Headers on every response, errors and SSE included: browser security headers (PROTOCOL.md
 * §12.7) and CORS, whose expose list names every protocol response header.
 */
final class StandardHeaders {
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
    private static final AsciiString CROSS_ORIGIN = AsciiString.cached("cross-origin");
    private static final AsciiString EXPOSE = AsciiString.cached(String.join(", ", ProtocolHeaders.EXPOSED_HEADERS));
    private static final AsciiString ALLOW_HEADERS = AsciiString.cached(String.join(", ", ProtocolHeaders.REQUEST_HEADERS));
    private static final AsciiString ALLOW_METHODS = AsciiString.cached("GET, HEAD, POST, PUT, DELETE, OPTIONS");

    private final AsciiString allowedOrigin;

    StandardHeaders(String allowedOrigin) {
        this.allowedOrigin = AsciiString.cached(allowedOrigin);
    }

    void apply(HttpHeaders h) {
        h.set("x-content-type-options", NOSNIFF);
        h.set("cross-origin-resource-policy", CROSS_ORIGIN);
        h.set("access-control-allow-origin", allowedOrigin);
        h.set("access-control-expose-headers", EXPOSE);
        if (!"*".contentEquals(allowedOrigin)) {
            h.add("vary", "origin");
        }
    }

    /** The answer to a CORS preflight: every method and protocol header is allowed. */
    void preflight(HttpHeaders h, String requestedHeaders) {
        h.set("access-control-allow-methods", ALLOW_METHODS);
        h.set("access-control-allow-headers", requestedHeaders == null || requestedHeaders.isBlank()
                ? ALLOW_HEADERS : ALLOW_HEADERS + ", " + requestedHeaders);
        h.set("access-control-max-age", "86400");
    }
}
