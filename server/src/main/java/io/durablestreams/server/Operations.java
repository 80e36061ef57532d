package io.durablestreams.server;

import io.durablestreams.protocol.ProtocolHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/** Names of operations for metrics and the access log, derived from a request's head. */
final class Operations {
    static final String CREATE = "create";
    static final String APPEND = "append";
    static final String CLOSE = "close";
    static final String READ = "read";
    static final String READ_LONG_POLL = "read_long_poll";
    static final String READ_SSE = "read_sse";
    static final String HEAD = "head";
    static final String DELETE = "delete";
    static final String PREFLIGHT = "preflight";
    static final String OPS = "ops";
    static final String OTHER = "other";

    private Operations() {}

    static String of(HttpRequest req, String streamRoot) {
        String uri = req.uri();
        HttpMethod m = req.method();
        if (m.equals(HttpMethod.OPTIONS)) {
            return PREFLIGHT;
        }
        if (!uri.startsWith(streamRoot)) {
            return uri.startsWith("/metrics") || uri.startsWith("/healthz") || uri.startsWith("/readyz") ? OPS : OTHER;
        }
        if (m.equals(HttpMethod.GET)) {
            if (uri.contains("live=sse")) {
                return READ_SSE;
            }
            return uri.contains("live=long-poll") ? READ_LONG_POLL : READ;
        }
        if (m.equals(HttpMethod.POST)) {
            boolean closing = "true".equalsIgnoreCase(req.headers().get(ProtocolHeaders.STREAM_CLOSED));
            return closing && HttpUtil.getContentLength(req, -1L) == 0 ? CLOSE : APPEND;
        }
        if (m.equals(HttpMethod.PUT)) {
            return CREATE;
        }
        if (m.equals(HttpMethod.HEAD)) {
            return HEAD;
        }
        return m.equals(HttpMethod.DELETE) ? DELETE : OTHER;
    }
}
