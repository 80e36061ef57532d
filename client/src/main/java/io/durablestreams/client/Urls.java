package io.durablestreams.client;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Query-string building with keys in lexicographic order (§10.1) and strict percent-encoding. */
final class Urls {
    private static final String HEX = "0123456789ABCDEF";

    private Urls() {
    }

    /**
     * Returns {@code base} with {@code params} merged into its query; parameters already in
     * {@code base} are kept unless {@code params} overrides them. All keys end up sorted.
     */
    static URI withQuery(URI base, Map<String, String> params) {
        Map<String, String> all = query(base);
        all.putAll(params);
        String s = base.toString();
        int cut = s.indexOf('?');
        int hash = s.indexOf('#');
        String prefix = cut >= 0 ? s.substring(0, cut) : hash >= 0 ? s.substring(0, hash) : s;
        if (all.isEmpty()) {
            return URI.create(prefix);
        }
        StringBuilder sb = new StringBuilder(prefix).append('?');
        boolean first = true;
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (!first) {
                sb.append('&');
            }
            first = false;
            encode(sb, e.getKey());
            sb.append('=');
            encode(sb, e.getValue());
        }
        return URI.create(sb.toString());
    }

    /** The decoded value of query parameter {@code name} of {@code uri}, or {@code null}. */
    static String queryParam(URI uri, String name) {
        return query(uri).get(name);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> all = new TreeMap<>();
        String existing = uri.getRawQuery();
        if (existing != null && !existing.isEmpty()) {
            for (String pair : existing.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                all.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
        }
        return all;
    }

    /** RFC 3986 percent-encoding: everything but unreserved characters is escaped. */
    static void encode(StringBuilder sb, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
            }
        }
    }
}
