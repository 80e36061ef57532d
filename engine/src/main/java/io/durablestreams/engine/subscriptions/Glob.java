package io.durablestreams.engine.subscriptions;

/**
 * Subscription patterns over stream paths (PROTOCOL.md §6.2): segments separated by '/',
 * {@code *} matches exactly one segment, {@code **} zero or more segments; other characters match
 * themselves.
 */
final class Glob {
    private final String[] pattern;

    Glob(String pattern) {
        this.pattern = pattern.split("/", -1);
    }

    boolean matches(String path) {
        return match(0, path.split("/", -1), 0);
    }

    private boolean match(int p, String[] segments, int s) {
        if (p == pattern.length) {
            return s == segments.length;
        }
        if (pattern[p].equals("**")) {
            for (int skip = s; skip <= segments.length; skip++) {
                if (match(p + 1, segments, skip)) {
                    return true;
                }
            }
            return false;
        }
        if (s == segments.length) {
            return false;
        }
        return (pattern[p].equals("*") || pattern[p].equals(segments[s])) && match(p + 1, segments, s + 1);
    }
}
