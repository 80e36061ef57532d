package io.durablestreams.server;

import io.durablestreams.server.common.BrowserHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.Map;

/**
 * The {@link BrowserHeaders} on Netty's header type: the values are converted to cached
 * {@link AsciiString}s once, since they go on every response.
 */
final class StandardHeaders {
    private final BrowserHeaders values;
    private final AsciiString[] names;
    private final AsciiString[] always;

    StandardHeaders(String allowedOrigin) {
        this.values = new BrowserHeaders(allowedOrigin);
        this.names = new AsciiString[values.always().size()];
        this.always = new AsciiString[names.length];
        int i = 0;
        for (Map.Entry<String, String> e : values.always().entrySet()) {
            names[i] = AsciiString.cached(e.getKey());
            always[i++] = AsciiString.cached(e.getValue());
        }
    }

    void apply(HttpHeaders h) {
        for (int i = 0; i < names.length; i++) {
            h.set(names[i], always[i]);
        }
        if (values.varyOrigin()) {
            h.add("vary", "origin");
        }
    }

    /** The answer to a CORS preflight: every method and protocol header is allowed. */
    void preflight(HttpHeaders h, String requestedHeaders) {
        values.preflight(requestedHeaders).forEach(h::set);
    }
}
