package io.durablestreams.server.common;

import io.durablestreams.protocol.ProtocolHeaders;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headers on every response, errors and SSE included: browser security headers (PROTOCOL.md
 * §12.7) and CORS, whose expose list names every protocol response header. Each binding sets
 * these values with its own header types.
 */
public final class BrowserHeaders {
    private static final String EXPOSE = String.join(", ", ProtocolHeaders.EXPOSED_HEADERS);
    private static final String ALLOW_HEADERS = String.join(", ", ProtocolHeaders.REQUEST_HEADERS);
    private static final String ALLOW_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS";

    private final Map<String, String> always;
    private final boolean varyOrigin;

    public BrowserHeaders(String allowedOrigin) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("x-content-type-options", "nosniff");
        h.put("cross-origin-resource-policy", "cross-origin");
        h.put("access-control-allow-origin", allowedOrigin);
        h.put("access-control-expose-headers", EXPOSE);
        this.always = Map.copyOf(h);
        this.varyOrigin = !"*".equals(allowedOrigin);
    }

    /** Set (replacing) on every response. */
    public Map<String, String> always() {
        return always;
    }

    /** Whether responses must also carry {@code Vary: origin} (added, not replacing): a specific origin is allowed. */
    public boolean varyOrigin() {
        return varyOrigin;
    }

    /** The answer to a CORS preflight: every method and protocol header is allowed. */
    public Map<String, String> preflight(String requestedHeaders) {
        return Map.of("access-control-allow-methods", ALLOW_METHODS,
                "access-control-allow-headers", requestedHeaders == null || requestedHeaders.isBlank()
                        ? ALLOW_HEADERS : ALLOW_HEADERS + ", " + requestedHeaders,
                "access-control-max-age", "86400");
    }
}
