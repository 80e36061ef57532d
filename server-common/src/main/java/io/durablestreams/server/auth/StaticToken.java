package io.durablestreams.server.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * A bearer token configured on the command line: {@code TOKEN:read=PREFIX[|PREFIX...]:write=PREFIX[|...]},
 * e.g. {@code s3cret:read=*:write=chat/}. A spec that would grant more or less than it says is refused
 * with a message naming the mistake: a blank prefix ({@code read=}, {@code read=a/|}, {@code read=| }),
 * a repeated {@code read=} or {@code write=}, a token with whitespace (not a valid bearer token).
 */
public record StaticToken(String token, List<String> readPrefixes, List<String> writePrefixes) {
    public StaticToken {
        readPrefixes = List.copyOf(readPrefixes);
        writePrefixes = List.copyOf(writePrefixes);
    }

    public static StaticToken parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("token spec must be TOKEN:read=PREFIXES[:write=PREFIXES], got '" + redact(spec) + "'");
        }
        if (parts[0].chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("token '" + redact(spec) + "' contains whitespace, which a bearer token cannot hold (RFC 6750)");
        }
        List<String> read = null;
        List<String> write = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.startsWith("read=")) {
                if (read != null) {
                    throw new IllegalArgumentException("token '" + redact(spec) + "' has read= twice; list the prefixes once, separated by |");
                }
                read = prefixes(spec, "read", p.substring(5));
            } else if (p.startsWith("write=")) {
                if (write != null) {
                    throw new IllegalArgumentException("token '" + redact(spec) + "' has write= twice; list the prefixes once, separated by |");
                }
                write = prefixes(spec, "write", p.substring(6));
            } else {
                throw new IllegalArgumentException("token permission must be read=... or write=..., got '" + p + "'");
            }
        }
        return new StaticToken(parts[0], read == null ? List.of() : read, write == null ? List.of() : write);
    }

    private static List<String> prefixes(String spec, String right, String list) {
        List<String> out = new ArrayList<>();
        for (String p : list.split("\\|", -1)) {
            if (!Grant.usable(p)) {
                throw new IllegalArgumentException("token '" + redact(spec) + "': " + right + "= has an empty prefix"
                        + " (an empty " + right + "=, or a leading, trailing or doubled |); use " + Grant.EVERY_STREAM
                        + " to grant every stream");
            }
            out.add(p);
        }
        return out;
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
