package io.durablestreams.server.auth;

import java.util.Arrays;
import java.util.List;

/**
 * A bearer token configured on the command line: {@code TOKEN:read=PREFIX[|PREFIX...]:write=PREFIX[|...]},
 * e.g. {@code s3cret:read=*:write=chat/}.
 */
public record StaticToken(String token, List<String> readPrefixes, List<String> writePrefixes) {
    public static StaticToken parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("token spec must be TOKEN:read=PREFIXES[:write=PREFIXES], got '" + redact(spec) + "'");
        }
        List<String> read = List.of();
        List<String> write = List.of();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("read=")) {
                read = prefixes(p.substring(5));
            } else if (p.startsWith("write=")) {
                write = prefixes(p.substring(6));
            } else {
                throw new IllegalArgumentException("token permission must be read=... or write=..., got '" + p + "'");
            }
        }
        return new StaticToken(parts[0], read, write);
    }

    private static List<String> prefixes(String list) {
        return Arrays.asList(list.split("\\|", -1));
    }

    private static String redact(String spec) {
        int colon = spec.indexOf(':');
        return "****" + (colon >= 0 ? spec.substring(colon) : "");
    }

    @Override
    public String toString() {
        return "StaticToken[****, read=" + readPrefixes + ", write=" + writePrefixes + "]";
    }
}
