package io.durablestreams.engine;

import io.durablestreams.protocol.ProtocolHeaders;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parsing of request headers whose syntax the protocol fixes; each failure is a 400. */
final class HeaderRules {
    /** Largest integer a JavaScript client can represent exactly (2^53 - 1). */
    static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

    private HeaderRules() {}

    /** {@code Stream-Closed} is present only when exactly "true", ignoring case (§4.1). */
    static boolean isTrue(String value) {
        return value != null && value.equalsIgnoreCase("true");
    }

    /**
     * A non-negative decimal integer without sign, leading zeros, fraction or exponent, at most
     * {@code max}; returns -1 when absent.
     */
    static long nonNegative(String value, String header, long max) {
        if (value == null) {
            return -1;
        }
        int n = value.length();
        boolean ok = n > 0 && n <= 16 && (n == 1 || value.charAt(0) != '0');
        for (int i = 0; ok && i < n; i++) {
            char c = value.charAt(i);
            ok = c >= '0' && c <= '9';
        }
        long v = ok ? Long.parseLong(value) : -1;
        if (v < 0 || v > max) {
            throw Problem.badRequest("invalid-header", header + " must be a decimal integer from 0 to " + max
                    + " without sign or leading zeros, got " + quoted(value));
        }
        return v;
    }

    static Long ttl(String value) {
        long v = nonNegative(value, ProtocolHeaders.STREAM_TTL, MAX_SAFE_INTEGER / 1000);
        return v < 0 ? null : v;
    }

    /** An RFC 3339 timestamp with a four-digit year ({@link Expiry#representable}). */
    static Instant expiresAt(String value) {
        if (value == null) {
            return null;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(value.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("invalid-header", ProtocolHeaders.STREAM_EXPIRES_AT
                    + " must be an RFC 3339 timestamp, got " + quoted(value));
        }
        if (!Expiry.representable(at)) {
            throw Problem.badRequest("invalid-header", ProtocolHeaders.STREAM_EXPIRES_AT
                    + " must lie in the years 0000 to 9999 (UTC), got " + quoted(value));
        }
        return at;
    }

    static String quoted(String value) {
        return "\"" + Problem.clip(value) + "\"";
    }
}
