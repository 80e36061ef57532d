package io.durablestreams.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One protocol request before per-request defaults are applied. Mutable while a
 * {@link DurableStream} operation builds it, then handed to a {@link Call} and not touched again.
 */
final class Request {
    /** What the request does; decides retry safety and how error statuses are classified. */
    enum Kind { CREATE, HEAD, READ, APPEND, CLOSE, DELETE, PRODUCER }

    final Kind kind;
    final String method;
    final URI url;
    final Map<String, String> params = new TreeMap<>();
    final Map<String, String> headers = new LinkedHashMap<>();
    byte[] body;

    Request(Kind kind, String method, URI url) {
        this.kind = kind;
        this.method = method;
        this.url = url;
    }

    Request header(String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
        return this;
    }

    Request param(String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
        return this;
    }

    Request headers(Map<String, String> extra) {
        extra.forEach(this::header);
        return this;
    }

    Request params(Map<String, String> extra) {
        extra.forEach(this::param);
        return this;
    }

    Request body(byte[] body) {
        this.body = body;
        return this;
    }

    /**
     * Whether the request may be re-sent after it was (possibly) delivered without a response. Plain
     * appends and closes with a body are not: the server may have applied them (§5.2), and a retry
     * would duplicate the data. Producer requests are: the server deduplicates them (§5.2.1).
     */
    boolean isIdempotent() {
        return switch (kind) {
            case APPEND -> false;
            case CLOSE -> body == null || body.length == 0;
            default -> true;
        };
    }
}
