package io.durablestreams.server.auth;

import java.util.List;

/**
 * What a caller may do: read and write streams whose names start with one of the prefixes. The
 * prefix {@code ""} or {@code "*"} covers every stream.
 */
public record Grant(String subject, List<String> readPrefixes, List<String> writePrefixes) {
    public boolean mayRead(String stream) {
        return covers(readPrefixes, stream);
    }

    public boolean mayWrite(String stream) {
        return covers(writePrefixes, stream);
    }

    private static boolean covers(List<String> prefixes, String stream) {
        for (String p : prefixes) {
            if (p.isEmpty() || p.equals("*") || stream.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
