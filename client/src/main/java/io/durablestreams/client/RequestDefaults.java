package io.durablestreams.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Headers and query parameters added to every request. Values are suppliers, evaluated once per HTTP
 * request (each retry and reconnect included), so a token supplier always yields the current token.
 */
final class RequestDefaults {
    private final Map<String, Supplier<String>> headers;
    private final Map<String, Supplier<String>> params;

    RequestDefaults(Map<String, Supplier<String>> headers, Map<String, Supplier<String>> params) {
        this.headers = Map.copyOf(headers);
        this.params = Map.copyOf(params);
    }

    /** Defaults first; the request's own values win. Suppliers returning {@code null} add nothing. */
    Map<String, String> headers(Map<String, String> own) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, s) -> putIfNotNull(out, k, s.get()));
        out.putAll(own);
        return out;
    }

    /** Like {@link #headers}, sorted by key (§10.1 query parameter ordering). */
    Map<String, String> params(Map<String, String> own) {
        Map<String, String> out = new TreeMap<>();
        params.forEach((k, s) -> putIfNotNull(out, k, s.get()));
        out.putAll(own);
        return out;
    }

    private static void putIfNotNull(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
