package io.durablestreams.engine.http;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A protocol request as the engine sees it, independent of any HTTP library.
 *
 * @param method   upper-case HTTP method
 * @param stream   the stream name: the decoded path below the stream root (never empty)
 * @param query    decoded query parameters, in order of appearance
 * @param headers  header lookup by lower-case name; returns {@code null} when absent
 * @param body     the request body (empty array when none)
 * @param baseUrl  scheme, host and stream root of this server as the client addressed it,
 *                 e.g. {@code http://localhost:4437/v1/stream/}; used for {@code Location}
 * @param live     where live reads run their callbacks
 * @param readScope the streams the caller may read (see {@link ReadScope}); {@link ReadScope#ALL}
 *                 when the binding authorizes nothing
 */
public record Request(
        String method,
        String stream,
        Map<String, List<String>> query,
        Function<String, String> headers,
        byte[] body,
        String baseUrl,
        LiveContext live,
        ReadScope readScope) {

    /** A request of a binding that does not authorize callers: they may read every stream. */
    public Request(String method, String stream, Map<String, List<String>> query, Function<String, String> headers,
                   byte[] body, String baseUrl, LiveContext live) {
        this(method, stream, query, headers, body, baseUrl, live, ReadScope.ALL);
    }

    public String header(String lowerCaseName) {
        return headers.apply(lowerCaseName);
    }

    /** The single value of a query parameter, or {@code null}. */
    public String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public int paramCount(String name) {
        List<String> values = query.get(name);
        return values == null ? 0 : values.size();
    }
}
