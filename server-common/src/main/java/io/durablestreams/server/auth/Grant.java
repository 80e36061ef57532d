package io.durablestreams.server.auth;

import java.util.List;

/**
 * What a caller may do: read and write streams whose names start with one of the prefixes.
 * Prefixes are literal; {@value #EVERY_STREAM} alone is the only way to cover every stream. A blank
 * prefix would match every name by accident ({@code read=}, a trailing {@code |}, a JWT claim
 * {@code ""}), so no grant holds one: static tokens refuse it at startup, JWT claims drop it.
 */
public record Grant(String subject, List<String> readPrefixes, List<String> writePrefixes) {
    /** The prefix that covers every stream: {@value}. */
    public static final String EVERY_STREAM = "*";

    public Grant {
        readPrefixes = List.copyOf(readPrefixes);
        writePrefixes = List.copyOf(writePrefixes);
        for (List<String> prefixes : List.of(readPrefixes, writePrefixes)) {
            for (String p : prefixes) {
                if (!usable(p)) {
                    throw new IllegalArgumentException("a grant prefix must not be blank (use " + EVERY_STREAM + " for every stream)");
                }
            }
        }
    }

    /** Whether {@code prefix} may appear in a grant: not empty and not only whitespace. */
    public static boolean usable(String prefix) {
        return !prefix.isBlank();
    }

    public boolean mayRead(String stream) {
        return covers(readPrefixes, stream);
    }

    public boolean mayWrite(String stream) {
        return covers(writePrefixes, stream);
    }

    private static boolean covers(List<String> prefixes, String stream) {
        for (String p : prefixes) {
            if (p.equals(EVERY_STREAM) || stream.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
