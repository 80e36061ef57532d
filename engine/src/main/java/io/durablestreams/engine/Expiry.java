package io.durablestreams.engine;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The arithmetic of stream expiry, in epoch milliseconds that never overflow. A request may only
 * ask for expiry times the server represents exactly ({@link #EARLIEST} to {@link #LATEST}, the
 * four-digit years of RFC 3339); a value already stored (by an older server, or damaged) is
 * clamped instead, so a stream is never lost or made unusable by its expiry.
 */
final class Expiry {
    private static final System.Logger LOG = System.getLogger(Expiry.class.getName());
    /** No expiry: a deadline no clock reaches. */
    static final long NEVER = Long.MAX_VALUE;
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Expiry() {}

    /** Whether a requested {@code Stream-Expires-At} lies in the range the server accepts. */
    static boolean representable(Instant at) {
        return !at.isBefore(EARLIEST) && !at.isAfter(LATEST);
    }

    /** Epoch milliseconds of {@code at}, saturated at the ends of {@code long}; {@link #NEVER} for null. */
    static long millis(Instant at) {
        if (at == null) {
            return NEVER;
        }
        try {
            return at.toEpochMilli();
        } catch (ArithmeticException e) {
            return at.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A sliding TTL in milliseconds, saturated; {@link #NEVER} for null. */
    static long ttlMillis(Long ttlSeconds) {
        if (ttlSeconds == null) {
            return NEVER;
        }
        return ttlSeconds > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : ttlSeconds * 1000;
    }

    /** Whether a stream last used at {@code lastAccessMillis} has outlived {@code ttlMillis} at {@code nowMillis}. */
    static boolean idleTooLong(long nowMillis, long lastAccessMillis, long ttlMillis) {
        // now - ttl cannot overflow for a clock at or after 1970 and a non-negative ttl
        return ttlMillis != NEVER && nowMillis - ttlMillis >= lastAccessMillis;
    }

    /**
     * An expiry time as a store kept it. Text that does not parse is logged and means no expiry:
     * keeping a stream too long is recoverable, deleting it is not.
     */
    static Instant stored(String text, String stream) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            LOG.log(System.Logger.Level.WARNING, "stream " + Problem.clip(stream) + " has a stored expiry "
                    + HeaderRules.quoted(text) + " that is not a timestamp; it does not expire");
            return null;
        }
    }
}
