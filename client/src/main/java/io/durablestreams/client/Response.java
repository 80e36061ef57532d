package io.durablestreams.client;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A completed HTTP exchange with its body fully read, plus the headers and query parameters that
 * were actually sent (after defaults, suppliers and {@link ErrorHandler} additions).
 */
record Response(int status, HttpHeaders headers, byte[] body, URI url,
                Map<String, String> sentHeaders, Map<String, String> sentParams) {

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    boolean flag(String name) {
        return ProtocolHeaders.isTrue(header(name));
    }

    /** A non-negative decimal header value; empty when absent or malformed. */
    OptionalLong longHeader(String name) {
        String v = header(name);
        if (v == null || v.isEmpty() || v.length() > 19 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(v));
    }
}
