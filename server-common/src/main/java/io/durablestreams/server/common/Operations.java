package io.durablestreams.server.common;

import java.util.function.LongSupplier;

/** Names of operations for metrics and the access log, derived from a request's head; the same in every binding. */
public final class Operations {
    public static final String CREATE = "create";
    public static final String APPEND = "append";
    public static final String CLOSE = "close";
    public static final String READ = "read";
    public static final String READ_LONG_POLL = "read_long_poll";
    public static final String READ_SSE = "read_sse";
    public static final String HEAD = "head";
    public static final String DELETE = "delete";
    public static final String PREFLIGHT = "preflight";
    public static final String OPS = "ops";
    public static final String OTHER = "other";

    private Operations() {}

    /**
     * @param method        upper-case HTTP method
     * @param uri           the request target: path and query as sent
     * @param streamRoot    the path under which streams live, with trailing slash
     * @param streamClosed  the {@code Stream-Closed} header, or null
     * @param contentLength the declared body length, or -1 when unknown; asked only for a closing POST,
     *                      since a malformed length may throw (the request is answered 400 later)
     */
    public static String of(String method, String uri, String streamRoot, String streamClosed, LongSupplier contentLength) {
        if (method.equals("OPTIONS")) {
            return PREFLIGHT;
        }
        if (!uri.startsWith(streamRoot)) {
            return uri.startsWith("/metrics") || uri.startsWith("/healthz") || uri.startsWith("/readyz") ? OPS : OTHER;
        }
        return switch (method) {
            case "GET" -> uri.contains("live=sse") ? READ_SSE : uri.contains("live=long-poll") ? READ_LONG_POLL : READ;
            case "POST" -> "true".equalsIgnoreCase(streamClosed) && contentLength.getAsLong() == 0 ? CLOSE : APPEND;
            case "PUT" -> CREATE;
            case "HEAD" -> HEAD;
            case "DELETE" -> DELETE;
            default -> OTHER;
        };
    }
}
